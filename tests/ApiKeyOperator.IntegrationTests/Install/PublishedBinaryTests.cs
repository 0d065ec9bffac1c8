using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using ApiKeyOperator.IntegrationTests.Harness;
using ApiKeyOperator.IntegrationTests.Operator;
using k8s.Models;
using Xunit;

namespace ApiKeyOperator.IntegrationTests.Install;

/// <summary>The binary the image ships, started the way its ENTRYPOINT does, against the test cluster.</summary>
public sealed partial class PublishedBinaryTests(ClusterFixture cluster, PublishedOperator published) : OperatorTest(cluster), IClassFixture<PublishedOperator>
{
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Published_operator_becomes_ready_issues_a_key_and_exits_zero_on_sigterm()
    {
        var stopwatch = Stopwatch.StartNew();
        await using var process = OperatorProcess.Start(published.EntryAssembly,
        [
            "run",
            "--kubeconfig", OperatorKubeconfigPath,
            "--namespace", Namespace,
            "--metrics-bind-address", "127.0.0.1:0",
            "--health-probe-bind-address", "127.0.0.1:0",
            "--review-bind-address", "0",
            "--ledger-path", LedgerPath,
            "--log-format", "text",
        ]);

        var health = await Eventually.GetAsync(
            _ => Task.FromResult(process.Find(HealthUrl()) is { } match ? new Uri(match.Groups["url"].Value) : null),
            Timeout,
            "the operator's start-up line naming its health address",
            Ct);
        using var http = new HttpClient { BaseAddress = health };
        await Eventually.WaitAsync(
            async ct => (await http.GetAsync(new Uri("readyz", UriKind.Relative), ct)).StatusCode == HttpStatusCode.OK,
            Timeout,
            "/readyz 200",
            Ct);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("healthz", UriKind.Relative), Ct)).StatusCode);

        await CreateApiKeyAsync("shipped");
        var apiKey = await WaitForReadyAsync("shipped");
        var secret = await Resources<V1Secret>().GetAsync(Key("shipped-key"), Ct);
        var token = Encoding.UTF8.GetString(secret!.Data["apiKey"]);
        Assert.Equal(apiKey.Status.CurrentKeyId, Encoding.UTF8.GetString(secret.Data["keyId"]));

        var exitCode = await process.TerminateAsync(ShutdownTimeout, Ct);

        Assert.True(exitCode == 0, $"exit code {exitCode}; output:\n{process.Output}");
        Assert.Contains("Controller workers stopped", process.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(token, process.Output, StringComparison.Ordinal);
        TestContext.Current.TestOutputHelper?.WriteLine($"started, issued and stopped in {stopwatch.Elapsed.TotalSeconds:F1} s");
    }

    [GeneratedRegex(@"health (?<url>http://[^\s,]+/)")]
    private static partial Regex HealthUrl();
}
