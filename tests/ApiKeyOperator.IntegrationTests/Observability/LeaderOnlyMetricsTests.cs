using ApiKeyOperator.Api;
using ApiKeyOperator.IntegrationTests.ApiKeys;
using ApiKeyOperator.IntegrationTests.Harness;
using ApiKeyOperator.IntegrationTests.Operator;
using ApiKeyOperator.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace ApiKeyOperator.IntegrationTests.Observability;

/// <summary>
/// Gauges derived from the cache are exported by the leader only: with two replicas, one series per key (an alert
/// fires once), and after a failover the new leader exports it.
/// </summary>
public sealed class LeaderOnlyMetricsTests(ClusterFixture cluster) : ApiKeyTest(cluster)
{
    private const string Expiry = "apikey_expiry_timestamp_seconds";

    [Fact]
    public async Task Only_the_leader_exports_the_expiry_gauge_and_the_next_leader_takes_it_over()
    {
        var a = await StartOperatorAsync(ReplicaArgs("a"));
        var b = await StartOperatorAsync(ReplicaArgs("b"));
        var leader = await Eventually.GetAsync(
            _ => Task.FromResult(a.Host.IsReconciling ^ b.Host.IsReconciling ? (a.Host.IsReconciling ? a : b) : null), Timeout, "one leader", Ct);
        var follower = leader == a ? b : a;
        await CreateApiKeyAsync("expiring", s => s.Validity = "240h");
        var apiKey = await WaitForReadyAsync("expiring");
        string series = $"key_id=\"{apiKey.Status.CurrentKeyId}\"";

        await Eventually.WaitAsync(async ct => PrometheusText.Samples(await MetricsTextAsync(leader, ct), Expiry, series).Count == 1, Timeout, "the leader's expiry series", Ct);
        // The follower's cache holds the same ApiKey with its key, but it exports no series of it.
        var followerCache = follower.Host.Services.GetRequiredService<InformerRegistry>().For<ApiKey>(null).Cache;
        await Eventually.WaitAsync(
            _ => Task.FromResult(followerCache.Get(Key("expiring"))?.Status?.CurrentKeyId == apiKey.Status.CurrentKeyId), Timeout, "the follower's cache has the key", Ct);
        Assert.Empty(PrometheusText.Samples(await MetricsTextAsync(follower, Ct), Expiry));

        await leader.StopAsync();

        await Eventually.WaitAsync(async ct => PrometheusText.Samples(await MetricsTextAsync(follower, ct), Expiry, series).Count == 1, Timeout, "the new leader's expiry series", Ct);
    }

    private string[] ReplicaArgs(string replica) =>
        OperatorArgsWith(
            "--ledger-path", Path.Combine(Path.GetDirectoryName(LedgerPath)!, $"ledger-{replica}.db"),
            "--leader-elect", "--leader-election-namespace", Namespace,
            "--leader-elect-lease-duration", "2s", "--leader-elect-renew-deadline", "1s", "--leader-elect-retry-period", "200ms");
}
