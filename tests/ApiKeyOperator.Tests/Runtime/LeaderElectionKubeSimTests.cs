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

    // Room for a few failed renewals: a 4 s renew deadline with 200 ms retries.
    private static readonly string[] SlackElection =
    [
        "--leader-elect", "--leader-election-namespace", "default", "--leader-elect-lease-duration", "6s",
        "--leader-elect-renew-deadline", "4s", "--leader-elect-retry-period", "200ms",
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

    [Fact]
    public async Task Failed_renewals_within_the_renew_deadline_keep_the_leader()
    {
        await using var env = await SimEnvironment.StartAsync();
        var (host, _) = await StartReplicaAsync(env, SlackElection);
        await Poll.UntilAsync(() => host.IsReconciling, what: "leads");
        var changes = 0;
        host.Services.GetRequiredService<LeaderElectionStatus>().Changed += _ => Interlocked.Increment(ref changes);
        var writesBefore = LeaseWrites(env);

        // Three renewals in a row answered 500, 503 and 429: about 0.6 s of a 4 s renew deadline.
        env.Sim.Faults.FailNextWrites("leases", 1, 500);
        env.Sim.Faults.FailNextWrites("leases", 1, 503);
        env.Sim.Faults.FailNextWrites("leases", 1, 429);
        await Poll.UntilAsync(() => LeaseWrites(env) >= writesBefore + 4, what: "three failed renewals and a successful one");

        Assert.Equal(0, Volatile.Read(ref changes));
        Assert.True(host.IsReconciling);
        Assert.Equal(host.Identity, (await ReadLeaseAsync(env)).Spec.HolderIdentity);
    }

    [Fact]
    public async Task An_api_server_restart_longer_than_the_renew_deadline_costs_the_lease_which_is_won_back_when_the_api_returns()
    {
        await using var env = await SimEnvironment.StartAsync();
        var (first, firstReconciler) = await StartReplicaAsync(env);
        var (second, secondReconciler) = await StartReplicaAsync(env);
        await Poll.UntilAsync(() => first.IsReconciling ^ second.IsReconciling, what: "one leader");
        var outage = TimeSpan.FromSeconds(5);

        var down = Stopwatch.StartNew();
        env.Sim.Faults.Restart(outage);

        // Nobody can renew: the leader stops its workers at the 1.5 s renew deadline, while the API is still down.
        await Poll.UntilAsync(() => !first.IsReconciling && !second.IsReconciling, what: "no replica leads during the outage");
        Assert.True(down.Elapsed < outage, $"the leader still led {down.Elapsed} into a {outage} outage");
        // Both loops keep running and retrying: liveness holds, so the kubelet restarts nothing.
        Assert.Equal("ok", await Http.GetStringAsync(new Uri(first.HealthUrl!, "healthz"), Ct));
        Assert.Equal("ok", await Http.GetStringAsync(new Uri(second.HealthUrl!, "healthz"), Ct));

        await Poll.UntilAsync(() => first.IsReconciling || second.IsReconciling, what: "a replica leads again after the outage");
        Assert.True(down.Elapsed >= outage, $"a replica led again {down.Elapsed} into a {outage} outage");
        await InformerKubeSimTests.CreateConfigMapAsync(env, "default", "after-restart");
        await Poll.UntilAsync(() => firstReconciler.Saw("after-restart") || secondReconciler.Saw("after-restart"), what: "reconciled after the restart");
        Assert.True(first.IsReconciling ^ second.IsReconciling);
    }

    [Fact]
    public async Task A_hanging_api_costs_the_lease_at_the_renew_deadline_not_when_the_request_gives_up()
    {
        await using var env = await SimEnvironment.StartAsync();
        var (host, reconciler) = await StartReplicaAsync(env);
        await Poll.UntilAsync(() => host.IsReconciling, what: "leads");

        // Every request now takes 20 s: a renewal that waited for its answer would keep the workers running that long.
        var hung = Stopwatch.StartNew();
        env.Sim.Faults.SetLatency(TimeSpan.FromSeconds(20));
        await Poll.UntilAsync(() => !host.IsReconciling, what: "workers stopped");
        Assert.True(hung.Elapsed < TimeSpan.FromSeconds(10), $"still leading {hung.Elapsed} after the API hung (renew deadline 1.5 s)");

        env.Sim.Faults.SetLatency(TimeSpan.Zero);
        await Poll.UntilAsync(() => host.IsReconciling, what: "leads again once the API answers");
        await InformerKubeSimTests.CreateConfigMapAsync(env, "default", "after-hang");
        await Poll.UntilAsync(() => reconciler.Saw("after-hang"), what: "reconciled after the hang");
    }

    [Fact]
    public async Task Healthz_fails_when_the_election_loop_is_not_running()
    {
        await using var env = await SimEnvironment.StartAsync();
        var (host, _) = await StartReplicaAsync(env);
        await Poll.UntilAsync(() => host.IsReconciling, what: "leads");
        Assert.Equal("ok", await Http.GetStringAsync(new Uri(host.HealthUrl!, "healthz"), Ct));

        host.Services.GetRequiredService<LeaderElection>().Kill();

        string body = string.Empty;
        await Poll.UntilAsync(async () =>
        {
            using var response = await Http.GetAsync(new Uri(host.HealthUrl!, "healthz"), Ct);
            body = await response.Content.ReadAsStringAsync(Ct);
            return response.StatusCode == HttpStatusCode.ServiceUnavailable;
        }, what: "healthz 503");
        Assert.Contains("[-]leader-election failed: leader election loop is not running", body, StringComparison.Ordinal);
        Assert.False(host.IsReconciling);
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

    private static int LeaseWrites(SimEnvironment env) =>
        env.Sim.Requests.Snapshot().Count(r => r.Resource == "leases" && r.Verb is "update" or "create");

    private static Task<k8s.Models.V1Lease> ReadLeaseAsync(SimEnvironment env) =>
        env.Client.CoordinationV1.ReadNamespacedLeaseAsync("apikeyoperator.io", "default", cancellationToken: Ct);

    private static async Task<(OperatorHost Host, RecordingReconciler Reconciler)> StartReplicaAsync(SimEnvironment env, string[]? election = null)
    {
        var reconciler = new RecordingReconciler();
        var host = await env.StartHostAsync(s => OperatorHostKubeSimTests.AddConfigMapController(s, reconciler), election ?? FastElection);
        return (host, reconciler);
    }
}
