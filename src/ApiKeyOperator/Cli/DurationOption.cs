using System.CommandLine;
using ApiKeyOperator.Api;

namespace ApiKeyOperator.Cli;

/// <summary>Flags holding a duration, written and shown as Go durations (<c>15s</c>, <c>10m</c>, <c>400d</c>).</summary>
public static class DurationOption
{
    /// <summary>
    /// A flag parsed with <see cref="GoDuration"/>; values below <paramref name="minimum"/> are a usage error that
    /// names the flag. <c>--help</c> shows the default as a Go duration (see <see cref="GoDurationHelpAction"/>).
    /// </summary>
    public static Option<TimeSpan> Create(string name, string description, TimeSpan defaultValue, TimeSpan minimum, bool minimumExclusive = true) => new(name)
    {
        Description = description,
        HelpName = "duration",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
            if (!GoDuration.TryParse(text, out var value, out var error))
            {
                result.AddError($"{name}: {error}");
                return default;
            }

            if (value < minimum || (minimumExclusive && value == minimum))
            {
                result.AddError($"{name}: \"{text}\" must be {(minimumExclusive ? "more than" : "at least")} {GoDuration.FormatCompact(minimum)}");
            }

            return value;
        },
    };
}
