using System.Diagnostics;
using Xunit;

namespace KubeSim.Tests.Standalone;

public sealed class StandaloneArgumentsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Every_option_has_a_flag()
    {
        var parsed = StandaloneArguments.Parse([
            "--port", "1234", "--kubeconfig", "k", "--enforce-rbac", "--users", "u.csv", "--reject-unknown-tokens",
            "--webhook-service", "hooks/api:8443=https://127.0.0.1:9443", "--pod-ready-delay", "1s", "--controller-lag", "250ms",
            "--no-controllers", "--node-count", "3", "--gc-interval", "2s", "--bookmark-interval", "5s", "--watch-history", "50",
        ]);

        var o = parsed.Options;
        Assert.Equal((1234, true, true, false, 3, 50), (o.Port, o.EnforceRbac, o.RejectUnknownTokens, o.RunControllers, o.NodeCount, o.WatchHistoryWindow));
        Assert.Equal((TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5)),
            (o.PodReadyDelay, o.ControllerLag, o.GarbageCollectionInterval, o.BookmarkInterval));
        Assert.Equal(new Uri("https://127.0.0.1:9443"), o.WebhookServiceEndpoints["hooks/api:8443"]);
        Assert.Equal(("k", "u.csv", false), (parsed.Kubeconfig, parsed.UsersFile, parsed.Help));
    }

    [Theory]
    [InlineData(new[] { "--gc-interval", "soon" }, "--gc-interval: 'soon' is not a duration such as 250ms, 2s or 1m30s")]
    [InlineData(new[] { "--gc-interval", "0s" }, "--gc-interval: must be greater than zero")]
    [InlineData(new[] { "--port" }, "flag needs an argument: --port")]
    [InlineData(new[] { "--node-count", "0" }, "--node-count: '0' is not an integer between 1 and 1000")]
    [InlineData(new[] { "--webhook-service", "api=http://x" }, "--webhook-service: 'api=http://x' is not NAMESPACE/NAME:PORT=https://HOST:PORT")]
    [InlineData(new[] { "--bogus" }, "unknown argument '--bogus' (see --help)")]
    public void Bad_arguments_say_what_is_wrong_in_one_line(string[] args, string message)
    {
        var error = Assert.Throws<FormatException>(() => StandaloneArguments.Parse(args));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public async Task Help_prints_usage_and_exits_0_and_an_unknown_flag_exits_2_with_one_line()
    {
        var help = await RunAsync("--help");
        var unknown = await RunAsync("--frobnicate");

        Assert.Equal(0, help.Code);
        Assert.StartsWith("usage: KubeSim [flags]", help.Stdout, StringComparison.Ordinal);
        foreach (var flag in new[] { "--users", "--gc-interval", "--controller-lag", "--webhook-service", "--reject-unknown-tokens", "--help" })
        {
            Assert.Contains(flag, help.Stdout, StringComparison.Ordinal);
        }

        Assert.Equal(2, unknown.Code);
        Assert.Equal("KubeSim: unknown argument '--frobnicate' (see --help)", unknown.Stderr.Trim());
        Assert.Empty(unknown.Stdout);
    }

    [Fact]
    public async Task A_users_file_that_does_not_parse_exits_2_naming_the_line()
    {
        var file = Path.Combine(Path.GetTempPath(), "kubesim-users-" + Guid.NewGuid().ToString("N") + ".csv");
        await File.WriteAllTextAsync(file, "good,alice\nlonely\n", Ct);
        try
        {
            var result = await RunAsync("--port", "0", "--users", file);

            Assert.Equal(2, result.Code);
            Assert.Equal($"KubeSim: --users {file}: line 2: expected token,user[,uid[,\"group1,group2\"]]", result.Stderr.Trim().Split('\n')[^1]);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "KubeSim.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
