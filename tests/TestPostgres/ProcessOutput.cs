namespace TestPostgres;

/// <summary>Exit code and combined output of a finished process.</summary>
public sealed record ProcessOutput(int ExitCode, string Output);
