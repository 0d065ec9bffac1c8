using System.Text.Json.Nodes;
using ApiKeyOperator.IntegrationTests.ApiKeys;
using ApiKeyOperator.IntegrationTests.Harness;
using ApiKeyOperator.IntegrationTests.Operator;
using ApiKeyOperator.Ledger;

namespace ApiKeyOperator.IntegrationTests.HA;

/// <summary>Replicas with leader election on one store (a SQLite file each, or one PostgreSQL database), and the trail they keep.</summary>
public abstract class HaTest(ClusterFixture cluster) : ApiKeyTest(cluster)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>Flags of one replica: short election timings, and <paramref name="ledger"/> (a URL) as its ledger.</summary>
    protected string[] ReplicaArgs(string ledger)
    {
        var args = OperatorArgs().ToList();
        args.RemoveRange(args.IndexOf("--ledger-path"), 2);
        return
        [
            .. args,
            "--ledger", ledger,
            "--leader-elect", "--leader-election-namespace", Namespace,
            "--leader-elect-lease-duration", "4s", "--leader-elect-renew-deadline", "3s", "--leader-elect-retry-period", "500ms",
        ];
    }

    protected Task<RunningOperator> LeaderAsync(params RunningOperator[] replicas) =>
        Eventually.GetAsync(
            _ => Task.FromResult(replicas.Count(r => r.Host.IsReconciling) == 1 ? replicas.Single(r => r.Host.IsReconciling) : null),
            Timeout,
            "exactly one replica leading",
            Ct);

    /// <summary>Every audit row of this test's namespace as <paramref name="replica"/>'s <c>/audit</c> serves it, newest first.</summary>
    protected async Task<IReadOnlyList<AuditEntry>> AuditAsync(RunningOperator replica)
    {
        var rows = new List<AuditEntry>();
        string? next = null;
        do
        {
            string query = $"audit?namespace={Namespace}&limit=1000" + (next is null ? string.Empty : $"&continue={Uri.EscapeDataString(next)}");
            var page = JsonNode.Parse(await Http.GetStringAsync(new Uri(replica.MetricsUrl!, query), Ct))!;
            rows.AddRange(page["items"]!.AsArray().Select(i => new AuditEntry
            {
                Id = (long)i!["id"]!,
                Kind = (string)i["kind"]!,
                Namespace = (string)i["namespace"]!,
                ApiKey = (string)i["apiKey"]!,
                KeyId = (string?)i["keyId"],
                Actor = (string)i["actor"]!,
            }));
            next = (string?)page["continue"];
        }
        while (next is not null);
        return rows;
    }

    /// <summary>Waits until <paramref name="replica"/>'s trail has one Issued row per key, then returns the trail.</summary>
    protected Task<IReadOnlyList<AuditEntry>> WaitForIssuedRowsAsync(RunningOperator replica, params string[] apiKeys) =>
        Eventually.GetAsync(
            async _ => await AuditAsync(replica) is var rows && apiKeys.All(k => rows.Any(r => r.ApiKey == k && r.Kind == AuditEventKinds.Issued)) ? rows : null,
            Timeout,
            $"Issued rows of {string.Join(", ", apiKeys)}",
            Ct);
}
