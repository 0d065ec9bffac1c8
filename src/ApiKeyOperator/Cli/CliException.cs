namespace ApiKeyOperator.Cli;

/// <summary>A command's failure with the one line to print and the exit code to return.</summary>
public sealed class CliException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
