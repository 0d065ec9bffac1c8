using System.Diagnostics;
using ApiKeyOperator.Api;
using ApiKeyOperator.IntegrationTests.Harness;
using ApiKeyOperator.IntegrationTests.Operator;
using Xunit;

namespace ApiKeyOperator.IntegrationTests.ApiKeys;

/// <summary>Two replicas with leader election: one reconciles, the other takes over when it dies.</summary>
public sealed class LeaderElectionTests(ClusterFixture cluster) : ApiKeyTest(cluster)
{
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Only_the_leader_reconciles_and_the_follower_takes_over_within_the_lease()
    {
        var a = await StartOperatorAsync(ReplicaArgs("a"));
        var b = await StartOperatorAsync(ReplicaArgs("b"));
        var leader = await Eventually.GetAsync(
            _ => Task.FromResult(a.Host.IsReconciling ^ b.Host.IsReconciling ? (a.Host.IsReconciling ? a : b) : null),
            Timeout,
            "exactly one replica leading",
            Ct);
        var follower = leader == a ? b : a;

        await CreateApiKeyAsync("first");
        await WaitForReadyAsync("first");
        var issued = await WaitForEventAsync("first", Reasons.Issued);
        Assert.Equal(leader.Host.Identity, issued.ReportingInstance);
        Assert.False(follower.Host.IsReconciling);
        Assert.Equal(0, PrometheusText.Sum(await MetricsTextAsync(follower, Ct), "controller_runtime_reconcile_total"));

        // A crash leaves the lease to expire: the follower must wait it out, then lead.
        var clock = Stopwatch.StartNew();
        await leader.KillAsync();
        await Eventually.WaitAsync(_ => Task.FromResult(follower.Host.IsReconciling), Timeout, "the follower leading", Ct);
        var takeover = clock.Elapsed;
        Assert.True(takeover < LeaseDuration * 4, $"takeover took {takeover}, lease is {LeaseDuration}");

        await CreateApiKeyAsync("second");
        await WaitForReadyAsync("second");
        var served = await WaitForEventAsync("second", Reasons.Issued);
        Assert.Equal(follower.Host.Identity, served.ReportingInstance);
    }

    private string[] ReplicaArgs(string replica) =>
        OperatorArgsWith(
            "--ledger-path",
            Path.Combine(Path.GetDirectoryName(LedgerPath)!, $"ledger-{replica}.db"),
            "--leader-elect",
            "--leader-election-namespace", Namespace,
            "--leader-elect-lease-duration", "2s",
            "--leader-elect-renew-deadline", "1s",
            "--leader-elect-retry-period", "200ms");
}
