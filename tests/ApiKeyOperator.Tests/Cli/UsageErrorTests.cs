using ApiKeyOperator.Cli;
using Xunit;

namespace ApiKeyOperator.Tests.Cli;

/// <summary>Bad flags are refused before anything happens: one line on stderr, a hint to --help, exit 2, nothing on stdout.</summary>
public sealed class UsageErrorTests
{
    [Theory]
    [InlineData("error: Unrecognized command or argument '--bogus' (see 'apikey-operator --help')", "--bogus")]
    [InlineData("error: Required argument missing for command: 'rotate' (see 'apikey-operator rotate --help')", "rotate")]
    [InlineData("error: --timeout: \"0s\" must be more than 0s (see 'apikey-operator rotate --help')", "rotate", "web", "--wait", "--timeout", "0s")]
    [InlineData("error: --timeout: \"-5m\" must be more than 0s (see 'apikey-operator rotate --help')", "rotate", "web", "--wait", "--timeout", "-5m")]
    [InlineData("error: --timeout: invalid duration \"soon\": expected a number (see 'apikey-operator rotate --help')", "rotate", "web", "--wait", "--timeout", "soon")]
    [InlineData("error: --timeout only applies with --wait (see 'apikey-operator rotate --help')", "rotate", "web", "--timeout", "5m")]
    [InlineData("error: --grace-period: \"-1h\" is negative (see 'apikey-operator rotate --help')", "rotate", "web", "--grace-period", "-1h")]
    [InlineData("error: --grace-period: invalid duration \"1 hour\": unknown unit \" hour\" (one of ns, us, ms, s, m, h, d) (see 'apikey-operator rotate --help')", "rotate", "web", "--grace-period", "1 hour")]
    [InlineData("error: --log-level: 'loud' is not one of debug, info, warn, error (see 'apikey-operator run --help')", "run", "--log-level", "loud")]
    [InlineData("error: --leader-elect-lease-duration: \"0\" must be more than 0s (see 'apikey-operator run --help')", "run", "--leader-elect-lease-duration", "0")]
    public async Task Is_one_line_on_stderr_with_exit_2(string expected, params string[] args)
    {
        var (exit, output, error) = await RunAsync(args);

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Equal(expected + Environment.NewLine, error);
        Assert.Empty(output);
    }

    [Fact]
    public async Task The_hint_names_the_plugin_when_kubectl_runs_it()
    {
        Assert.Equal("kubectl apikey", ProgramName.Of("/usr/local/bin/kubectl-apikey"));
        Assert.Equal("apikey-operator", ProgramName.Of("/usr/bin/dotnet"));
        Assert.Equal("apikey-operator", ProgramName.Of(null));

        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CommandLineApp.RunAsync(["status"], output, error, "kubectl apikey", TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.EndsWith("(see 'kubectl apikey status --help')" + Environment.NewLine, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bare_command_prints_help_and_runs_nothing()
    {
        var (exit, output, error) = await RunAsync([]);

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Empty(error);
        Assert.Contains("Usage:", output, StringComparison.Ordinal);
        Assert.Contains("run ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("--metrics-bind-address", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_shows_every_duration_default_as_a_go_duration()
    {
        var (exit, run, _) = await RunAsync(["run", "--help"]);
        var (_, rotate, _) = await RunAsync(["rotate", "--help"]);

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Contains("--leader-elect-lease-duration <duration>", run, StringComparison.Ordinal);
        Assert.Contains("[default: 15s]", run, StringComparison.Ordinal);
        Assert.Contains("[default: 10h]", run, StringComparison.Ordinal);
        Assert.Contains("[default: 400d]", run, StringComparison.Ordinal);
        Assert.Contains("[default: 30m]", rotate, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"\d\d:\d\d:\d\d", run + rotate);
    }

    [Fact]
    public void Help_rewrite_touches_only_timespan_defaults()
    {
        Assert.Equal(
            "--a [default: 1h30m] --b [default: 400d] --c [default: 1.5s] --d [default: :8080] --e [default: 12:00:00 pm]",
            GoDurationHelpAction.Rewrite("--a [default: 01:30:00] --b [default: 400.00:00:00] --c [default: 00:00:01.5000000] --d [default: :8080] --e [default: 12:00:00 pm]"));
    }

    [Fact]
    public async Task Version_is_the_release_tag_of_the_version_file()
    {
        var (exit, output, _) = await RunAsync(["--version"]);

        var version = (await File.ReadAllTextAsync(Install.RepoPaths.Combine("VERSION"), TestContext.Current.CancellationToken)).Trim();
        Assert.Equal(ExitCodes.Success, exit);
        Assert.Equal($"v{version}" + Environment.NewLine, output);
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CommandLineApp.RunAsync(args, output, error, ProgramName.Default, TestContext.Current.CancellationToken);
        return (exit, output.ToString(), error.ToString());
    }
}
