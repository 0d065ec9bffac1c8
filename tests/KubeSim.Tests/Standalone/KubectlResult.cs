namespace KubeSim.Tests.Standalone;

/// <summary>What a kubectl invocation printed and returned.</summary>
internal sealed record KubectlResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>The output lines split into whitespace-separated cells (kubectl's table layout).</summary>
    public IReadOnlyList<string[]> Table =>
        [.. Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))];

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}
