using System.CommandLine;
using ApiKeyOperator.Hosting;
using ApiKeyOperator.Ledger;
using Xunit;

namespace ApiKeyOperator.Tests.Ledger;

/// <summary><c>run</c> pointed at a ledger it cannot use stops before anything starts, with one line, and touches no file.</summary>
public sealed class LedgerStartupTests : LedgerTestBase
{
    [Fact]
    public async Task A_ledger_path_naming_a_file_that_is_not_SQLite_is_refused_in_one_line_and_left_alone()
    {
        string notes = Path.Combine(Fixture.Directory, "notes.txt");
        await File.WriteAllTextAsync(notes, "shopping list: milk, eggs, a bigger disk", Ct);

        var (exit, stderr) = await RunAsync("--ledger-path", notes);

        Assert.Equal(1, exit);
        Assert.Equal($"error: '{notes}' exists and is not a SQLite database, so it is not an audit ledger; the operator leaves it alone. Point the ledger at the ledger file or at a new path.{Environment.NewLine}", stderr);
        Assert.Equal("shopping list: milk, eggs, a bigger disk", await File.ReadAllTextAsync(notes, Ct));
        Assert.Equal(["notes.txt"], Directory.GetFiles(Fixture.Directory).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("--ledger", "postgres://audit:pw@", "error: --ledger: the PostgreSQL URL names no host")]
    [InlineData("--audit-log", "/nonexistent-dir/audit.jsonl", "error: --audit-log /nonexistent-dir/audit.jsonl: Could not find a part of the path")]
    public async Task An_unusable_ledger_or_audit_log_is_one_line(string flag, string value, string expected)
    {
        var (exit, stderr) = await RunAsync(flag, value);

        Assert.Equal(1, exit);
        Assert.StartsWith(expected, stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    private async Task<(int Exit, string Stderr)> RunAsync(params string[] flags)
    {
        RootCommand root = OperatorCommands.Build(OperatorModules.All);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        // The ledger is checked before the host connects anywhere: the kubeconfig is never read.
        string[] args = ["run", "--kubeconfig", Path.Combine(Fixture.Directory, "no-kubeconfig"), "--metrics-bind-address", "0", "--health-probe-bind-address", "0", .. flags];
        int exit = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr }, Ct);
        return (exit, stderr.ToString());
    }
}
