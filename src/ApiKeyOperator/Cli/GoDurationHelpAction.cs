using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Globalization;
using System.Text.RegularExpressions;
using ApiKeyOperator.Api;

namespace ApiKeyOperator.Cli;

/// <summary>
/// <c>--help</c> with duration defaults written as Go durations: System.CommandLine renders a default with
/// <c>ToString()</c> (<c>[default: 00:00:15]</c>, <c>400.00:00:00</c>) and its HelpBuilder is internal in 2.0, so
/// the finished text is rewritten (<c>[default: 15s]</c>). Covers every module's flags without touching them.
/// </summary>
public sealed partial class GoDurationHelpAction(HelpAction inner) : SynchronousCommandLineAction
{
    public override bool ClearsParseErrors => true;

    /// <summary>Replaces the help action of <paramref name="root"/> (and so of every subcommand).</summary>
    public static void Install(RootCommand root)
    {
        var help = root.Options.OfType<HelpOption>().Single();
        if (help.Action is HelpAction original)
        {
            help.Action = new GoDurationHelpAction(original);
        }
    }

    public override int Invoke(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var configuration = parseResult.InvocationConfiguration;
        var output = configuration.Output;
        using var captured = new StringWriter(CultureInfo.InvariantCulture);
        configuration.Output = captured;
        int exitCode;
        try
        {
            exitCode = inner.Invoke(parseResult);
        }
        finally
        {
            configuration.Output = output;
        }

        output.Write(Rewrite(captured.ToString()));
        return exitCode;
    }

    /// <summary>Every <c>[default: d.hh:mm:ss.fffffff]</c> of <paramref name="help"/> as a Go duration.</summary>
    public static string Rewrite(string help) =>
        TimeSpanDefault().Replace(help, match => TimeSpan.TryParseExact(match.Groups["value"].Value, "c", CultureInfo.InvariantCulture, out var value)
            ? $"[default: {GoDuration.FormatCompact(value)}]"
            : match.Value);

    [GeneratedRegex(@"\[default: (?<value>-?(?:\d+\.)?\d{2}:\d{2}:\d{2}(?:\.\d{1,7})?)\]")]
    private static partial Regex TimeSpanDefault();
}
