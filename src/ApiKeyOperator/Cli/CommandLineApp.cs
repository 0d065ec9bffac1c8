using System.CommandLine;
using System.CommandLine.Invocation;
using ApiKeyOperator.Hosting;
using ApiKeyOperator.Ledger;

namespace ApiKeyOperator.Cli;

/// <summary>
/// <c>apikey-operator</c> (also <c>kubectl apikey</c>): parses, turns a usage error into one line on stderr with a hint
/// to <c>--help</c> (exit <see cref="ExitCodes.Usage"/>), and runs the command. Program.cs is this with the console.
/// </summary>
public static class CommandLineApp
{
    // A graceful stop waits for reconciles in flight; give it longer than System.CommandLine's default 2 s.
    private static readonly TimeSpan ProcessTerminationTimeout = TimeSpan.FromSeconds(40);

    /// <summary>The whole command tree; commands write to <paramref name="output"/> and <paramref name="error"/>.</summary>
    public static RootCommand Build(TextWriter output, TextWriter error) =>
        OperatorCommands.Build(
            OperatorModules.All,
            RotateCommand.Create(output, error),
            StatusCommand.Create(output, error),
            OrphanSecretsCommand.Create(output, error),
            AuditCommand.Create());

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, string programName = ProgramName.Default, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(error);
        var root = Build(output, error);
        var result = root.Parse(args);
        if (result.Action is ParseErrorAction)
        {
            await error.WriteLineAsync(UsageError(result, programName));
            return ExitCodes.Usage;
        }

        var configuration = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            ProcessTerminationTimeout = ProcessTerminationTimeout,
            EnableDefaultExceptionHandler = false,
        };
        try
        {
            return await result.InvokeAsync(configuration, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A bug, not a user error: still one line, with the exception's type to search for.
            await error.WriteLineAsync($"error: {e.GetType().Name}: {OneLine(e.Message)}");
            return ExitCodes.Failed;
        }
    }

    /// <summary>One line: every parse error, then how to get help for the command that was being parsed.</summary>
    public static string UsageError(ParseResult result, string programName)
    {
        ArgumentNullException.ThrowIfNull(result);
        var reasons = string.Join("; ", result.Errors.Select(e => OneLine(e.Message).TrimEnd('.')).Distinct());
        var path = new List<string>();
        for (var command = result.CommandResult; command is not null; command = command.Parent as System.CommandLine.Parsing.CommandResult)
        {
            path.Insert(0, command.Parent is null ? programName : command.Command.Name);
        }

        return $"error: {reasons} (see '{string.Join(' ', path)} --help')";
    }

    private static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
