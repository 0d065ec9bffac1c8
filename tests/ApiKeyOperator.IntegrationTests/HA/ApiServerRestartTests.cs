using System.Diagnostics;
using ApiKeyOperator.IntegrationTests.Operator;
using ApiKeyOperator.IntegrationTests.Rotations;
using ApiKeyOperator.Ledger;
using k8s;
using Xunit;

namespace ApiKeyOperator.IntegrationTests.HA;

/// <summary>
/// The API server restarts (every connection dropped, nothing answers for a while): the replicas keep their election
/// loops, the Lease is re-acquired or moves once the API answers, new ApiKeys turn Ready, and the trail has every
/// row exactly once. KubeSim's restart fault is server-wide, so these tests have a KubeSim of their own.
/// </summary>
public sealed class ApiServerRestartTests(PrivateSimFixture cluster, PostgresServerFixture postgres)
    : HaTest(cluster), IClassFixture<PrivateSimFixture>, IClassFixture<PostgresServerFixture>
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(4);

    // A generous ceiling for a loaded CI machine; bench/ApiKeyOperator.Benchmarks (failover) measures the real figure.
    private static readonly TimeSpan ReadyBound = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("sqlite", 1)]
    [InlineData("postgres", 2)]
    public async Task New_ApiKeys_turn_Ready_after_the_api_server_comes_back_and_every_row_is_kept_once(string store, int replicaCount)
    {
        string ledger = store == "postgres"
            ? await postgres.Server.CreateDatabaseAsync(Ct)
            : "sqlite://" + LedgerPath;
        var replicas = new List<RunningOperator>();
        for (int i = 0; i < replicaCount; i++)
        {
            replicas.Add(await StartOperatorAsync(ReplicaArgs(ledger)));
        }

        await LeaderAsync([.. replicas]);
        await CreateApiKeyAsync("before");
        await WaitForReadyAsync("before");

        Sim.Faults.Restart(Outage);
        var down = Stopwatch.StartNew();
        await Eventually.WaitAsync(_ => Task.FromResult(replicas.All(r => !r.Host.IsReconciling)), Timeout, "no replica leads during the outage", Ct);
        await Eventually.WaitAsync(async ct => await ApiAnswersAsync(ct), Timeout, "the API answers again", Ct);
        var back = Stopwatch.StartNew();
        Assert.True(down.Elapsed >= Outage - TimeSpan.FromMilliseconds(100), $"the API answered {down.Elapsed} into a {Outage} outage");

        await CreateApiKeyAsync("after");
        await WaitForReadyAsync("after");
        var ready = back.Elapsed;

        Assert.True(ready < ReadyBound, $"a new ApiKey took {ready} to turn Ready after the API came back (bound {ReadyBound})");
        TestContext.Current.SendDiagnosticMessage($"{store}: new ApiKey Ready {ready.TotalSeconds:F1} s after the API came back");
        var leader = await LeaderAsync([.. replicas]);
        var rows = await WaitForIssuedRowsAsync(leader, "before", "after");
        Assert.Equal(1, rows.Count(r => r.ApiKey == "before" && r.Kind == AuditEventKinds.Issued));
        Assert.Equal(1, rows.Count(r => r.ApiKey == "after" && r.Kind == AuditEventKinds.Issued));
        foreach (var replica in replicas)
        {
            // Every replica reads the same trail.
            Assert.Equal(rows.Select(r => r.Id), (await AuditAsync(replica)).Select(r => r.Id));
        }
    }

    private async Task<bool> ApiAnswersAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Client.CoreV1.ReadNamespaceAsync(Namespace, cancellationToken: cancellationToken);
            return true;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
