using System.Diagnostics;
using System.Net;
using ApiKeyOperator.Hosting;
using k8s;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace ApiKeyOperator.Tests.Runtime;

public sealed class LeaderElectionKubeSimTests
{
    private static readonly string[] FastElection =
    [
        "--leader-elect", "--leader-election-namespace", "default", "--leader-elect-lease-duration", "2s",
        "--leader-elect-renew-deadline", "1500ms", "--leader-elect-retry-period", "200ms",
    ];

    // A lease much longer than a handover through release takes, so a takeover before it ends proves the release.
    private static readonly string[] LongLease =
    [
        "--leader-elect", "--leader-election-namespace", "default", "--leader-elect-lease-duration", "20s",
        "--leader-elect-renew-deadline", "15s", "--leader-elect-retry-period", "200ms",
    ];

    private static readonly HttpClient Http = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Only_the_leader_reconciles_and_a_follower_takes_over_after_a_graceful_stop()
    {
        await using var env = await SimEnvironment.StartAsync();
        var (first, firstReconciler) = await StartReplicaAsync(env, LongLease);
        var (second, secondReconciler) = await StartReplicaAsync(env, LongLease);
        await Poll.UntilAsync(() => first.IsReconciling ^ second.IsReconciling, what: "one leader");
        var (leader, leaderReconciler, follower, followerReconciler) = first.IsReconciling
            ? (first, firstReconciler, second, secondReconciler)
            : (second, secondReconciler, first, firstReconciler);

        await InformerKubeSimTests.CreateConfigMapAsync(env, "default", "before-handover");
        await Poll.UntilAsync(() => leaderReconciler.Saw("before-handover"), what: "leader reconciles");
        Assert.False(followerReconciler.Saw("before-handover"));
        Assert.False(follower.IsReconciling);
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync(new Uri(follower.HealthUrl!, "readyz"), Ct)).StatusCode);
        var lease = await env.Client.CoordinationV1.ReadNamespacedLeaseAsync("apikeyoperator.io", "default", cancellationToken: Ct);
        Assert.Equal(leader.Identity, lease.Spec.HolderIdentity);
        Assert.Contains("leader_election_master_status{name=\"apikeyoperator.io\"} 1",
            await Http.GetStringAsync(new Uri(leader.MetricsUrl!, "metrics"), Ct), StringComparison.Ordinal);

        var handover = Stopwatch.StartNew();
        await leader.StopAsync(Ct);
        await InformerKubeSimTests.CreateConfigMapAsync(env, "default", "after-handover");
        await Poll.UntilAsync(() => followerReconciler.Saw("after-handover"), TimeSpan.FromSeconds(20), "follower takes over");

        // The Lease was released, so the follower did not wait out the 20 s lease duration.
        Assert.True(handover.Elapsed < TimeSpan.FromSeconds(20), $"takeover took {handover.Elapsed}");
        Assert.False(leaderReconciler.Saw("after-handover"));
        Assert.True(follower.IsReconciling);
    }

    [Fact]
    public async Task A_killed_leader_is_replaced_once_its_lease_expires()
    {
        await using var env = await SimEnvironment.StartAsync();
        var (first, firstReconciler) = await StartReplicaAsync(env);
        await Poll.UntilAsync(() => first.IsReconciling, what: "first leads");
        var (second, secondReconciler) = await StartReplicaAsync(env);

        var killed = Stopwatch.StartNew();
        await first.KillAsync();
        var lease = await env.Client.CoordinationV1.ReadNamespacedLeaseAsync("apikeyoperator.io", "default", cancellationToken: Ct);
        Assert.Equal(first.Identity, lease.Spec.HolderIdentity);
        await InformerKubeSimTests.CreateConfigMapAsync(env, "default", "after-crash");

        await Poll.UntilAsync(() => secondReconciler.Saw("after-crash"), what: "second takes over");

        // Not released: the follower waited out the 2 s lease since the last renewal (at most one 200 ms retry before the kill).
        Assert.True(killed.Elapsed >= TimeSpan.FromSeconds(1.8), $"takeover after {killed.Elapsed}");
        Assert.False(firstReconciler.Saw("after-crash"));
    }

    [Fact]
    public async Task Losing_the_lease_stops_the_workers_until_it_is_won_back()
    {
        await using var env = await SimEnvironment.StartAsync();
        var (host, reconciler) = await StartReplicaAsync(env);
        await Poll.UntilAsync(() => host.IsReconciling, what: "leads");

        // Another replica takes the Lease over and renews it every retry period, as a live leader would.
        using var intruder = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var renewing = RenewAsIntruderAsync(env.Client, intruder.Token);
        await Poll.UntilAsync(() => !host.IsReconciling, what: "workers stopped after the lease was lost");
        Assert.Contains("leader_election_master_status{name=\"apikeyoperator.io\"} 0",
            await Http.GetStringAsync(new Uri(host.MetricsUrl!, "metrics"), Ct), StringComparison.Ordinal);
        await InformerKubeSimTests.CreateConfigMapAsync(env, "default", "while-follower");
        await Poll.UntilAsync(() => host.Services.GetRequiredService<ControllerManager>().Controllers[0].Queue.Count == 1, what: "queued, not reconciled");
        Assert.False(reconciler.Saw("while-follower"));

        await intruder.CancelAsync();
        await renewing;
        await Poll.UntilAsync(() => reconciler.Saw("while-follower"), what: "lease won back once the intruder stopped renewing");
        Assert.True(host.IsReconciling);
    }

    private static async Task RenewAsIntruderAsync(IKubernetes client, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var lease = await client.CoordinationV1.ReadNamespacedLeaseAsync("apikeyoperator.io", "default", cancellationToken: cancellationToken);
                lease.Spec.HolderIdentity = "intruder";
                lease.Spec.RenewTime = DateTime.UtcNow;
                await client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, "apikeyoperator.io", "default", cancellationToken: cancellationToken);
                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
            {
                // The real leader renewed in between: take it again.
            }
        }
    }

    private static async Task<(OperatorHost Host, RecordingReconciler Reconciler)> StartReplicaAsync(SimEnvironment env, string[]? election = null)
    {
        var reconciler = new RecordingReconciler();
        var host = await env.StartHostAsync(s => OperatorHostKubeSimTests.AddConfigMapController(s, reconciler), election ?? FastElection);
        return (host, reconciler);
    }
}
