using ApiKeyOperator.Api;
using ApiKeyOperator.Cli;
using ApiKeyOperator.IntegrationTests.Harness;
using ApiKeyOperator.IntegrationTests.Operator;
using ApiKeyOperator.IntegrationTests.Rotations;
using Xunit;

namespace ApiKeyOperator.IntegrationTests.Cli;

/// <summary>
/// Each exit code of the README's table, from the real command against a cluster. A KubeSim of this class's own,
/// since one test makes the server refuse a write.
/// </summary>
public sealed class CliExitCodeTests(PrivateSimFixture cluster) : OperatorTest(cluster), IClassFixture<PrivateSimFixture>
{
    [Fact]
    public async Task Not_found_exits_3_and_creates_nothing()
    {
        var status = await RunAsync("status", "ghost");
        var rotate = await RunAsync("rotate", "ghost");

        Assert.Equal((ExitCodes.NotFound, $"error: apikey \"ghost\" not found in namespace \"{Namespace}\""), (status.Exit, status.Error.Trim()));
        Assert.Equal(ExitCodes.NotFound, rotate.Exit);
        Assert.Empty((await Resources<ApiKeyRotation>().ListAsync(Namespace, null, Ct)).Items);
    }

    [Theory]
    [InlineData("0s")]
    [InlineData("-1m")]
    [InlineData("later")]
    public async Task A_wait_without_a_positive_timeout_is_refused_before_anything_is_created(string timeout)
    {
        await CreateApiKeyAsync("svc");

        var rotate = await RunAsync("rotate", "svc", "--wait", "--timeout", timeout);

        Assert.Equal(ExitCodes.Usage, rotate.Exit);
        Assert.Single(rotate.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Empty(rotate.Output);
        Assert.Empty((await Resources<ApiKeyRotation>().ListAsync(Namespace, null, Ct)).Items);
    }

    [Fact]
    public async Task A_wait_that_runs_out_exits_5_and_leaves_the_rotation_in_the_cluster()
    {
        // No operator runs: the rotation stays Pending.
        await CreateApiKeyAsync("svc");

        var rotate = await RunAsync("rotate", "svc", "--wait", "--timeout", "1s");

        Assert.Equal(ExitCodes.Timeout, rotate.Exit);
        Assert.Matches(@"^error: apikeyrotation ""svc-\w+"" did not finish within 1s; it goes on in the cluster", rotate.Error);
        Assert.Single((await Resources<ApiKeyRotation>().ListAsync(Namespace, null, Ct)).Items);
    }

    [Fact]
    public async Task A_refused_permission_exits_6_with_the_servers_message()
    {
        await CreateApiKeyAsync("svc");
        Sim.Faults.FailNextWrites("apikeyrotations", 1, 403);

        var rotate = await RunAsync("rotate", "svc");

        Assert.Equal(ExitCodes.Forbidden, rotate.Exit);
        Assert.StartsWith("error: ", rotate.Error, StringComparison.Ordinal);
        Assert.Single(rotate.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task An_unreachable_api_server_exits_4()
    {
        var dead = Path.Combine(Path.GetTempPath(), $"dead-kubeconfig-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(dead, (await File.ReadAllTextAsync(KubeconfigPath, Ct)).Replace(new Uri(Client.BaseUri.ToString()).Authority, "127.0.0.1:1", StringComparison.Ordinal), Ct);
        try
        {
            var status = await RunAsync(["status", "svc", "--kubeconfig", dead, "-n", Namespace], withCluster: false);

            Assert.Equal(ExitCodes.Unreachable, status.Exit);
            Assert.StartsWith("error: cannot reach the Kubernetes API: Connection refused", status.Error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(dead);
        }
    }

    [Theory]
    [InlineData(ExitCodes.Unreachable, "status", "svc")]
    [InlineData(ExitCodes.Failed, "run", "--metrics-bind-address", "127.0.0.1:0", "--health-probe-bind-address", "127.0.0.1:0", "--review-bind-address", "0")]
    public async Task Without_a_kubeconfig_the_binary_says_what_to_set(int expectedExit, params string[] args)
    {
        // Not in a cluster, no $KUBECONFIG, no ~/.kube/config: the client library would try http://localhost:8080.
        var home = Directory.CreateTempSubdirectory("no-kube-home-");
        try
        {
            var (exit, process) = await BinaryProcess.RunAsync(
                [.. args, .. args[0] == "run" ? new[] { "--ledger-path", Path.Combine(home.FullName, "ledger.db") } : []], home.FullName, BinaryProcess.Deadline, Ct,
                new Dictionary<string, string?> { ["KUBECONFIG"] = null, ["HOME"] = home.FullName, ["KUBERNETES_SERVICE_HOST"] = null });
            await using (process)
            {
                Assert.Equal(expectedExit, exit);
                Assert.Equal(["error: no kubeconfig: set KUBECONFIG or pass --kubeconfig"], process.StandardError);
                Assert.DoesNotContain(process.StandardOutput, l => l.Contains("localhost:8080", StringComparison.Ordinal));
            }
        }
        finally
        {
            home.Delete(recursive: true);
        }
    }

    private Task<(int Exit, string Output, string Error)> RunAsync(params string[] args) => RunAsync(args, withCluster: true);

    private async Task<(int Exit, string Output, string Error)> RunAsync(string[] args, bool withCluster)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        string[] all = withCluster ? [.. args, "--kubeconfig", KubeconfigPath, "-n", Namespace] : args;
        var exit = await CommandLineApp.RunAsync(all, output, error, ProgramName.Default, Ct);
        return (exit, output.ToString(), error.ToString());
    }
}
