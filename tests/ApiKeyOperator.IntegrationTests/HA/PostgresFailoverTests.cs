using System.CommandLine;
using System.Text.Json;
using ApiKeyOperator.IntegrationTests.Harness;
using ApiKeyOperator.IntegrationTests.Operator;
using ApiKeyOperator.Ledger;
using Xunit;

namespace ApiKeyOperator.IntegrationTests.HA;

/// <summary>
/// Two replicas on one PostgreSQL trail: after the leader is killed the new leader carries on, every row written by
/// either is there exactly once, and /audit on any replica and the audit CLI answer the same.
/// </summary>
public sealed class PostgresFailoverTests(ClusterFixture cluster, PostgresServerFixture postgres) : HaTest(cluster), IClassFixture<PostgresServerFixture>
{
    [Fact]
    public async Task A_killed_leaders_rows_stay_in_the_shared_trail_and_every_replica_and_the_cli_read_the_same()
    {
        string ledger = await postgres.Server.CreateDatabaseAsync(Ct);
        var a = await StartOperatorAsync(ReplicaArgs(ledger));
        var b = await StartOperatorAsync(ReplicaArgs(ledger));
        var first = await LeaderAsync(a, b);
        var second = first == a ? b : a;
        foreach (string name in (string[])["one", "two", "three"])
        {
            await CreateApiKeyAsync(name);
        }

        foreach (string name in (string[])["one", "two", "three"])
        {
            await WaitForReadyAsync(name);
        }

        await WaitForIssuedRowsAsync(first, "one", "two", "three");
        await first.KillAsync();
        await Eventually.WaitAsync(_ => Task.FromResult(second.Host.IsReconciling), Timeout, "the follower takes over", Ct);
        await CreateApiKeyAsync("four");
        await WaitForReadyAsync("four");

        var rows = await WaitForIssuedRowsAsync(second, "one", "two", "three", "four");
        Assert.All(
            ["one", "two", "three", "four"],
            name => Assert.Equal(1, rows.Count(r => r.ApiKey == name && r.Kind == AuditEventKinds.Issued)));
        Assert.Equal(rows.Select(r => r.Id), await CliIdsAsync(ledger));
        Assert.DoesNotContain(postgres.Server.Password, string.Join('\n', Logs.Lines), StringComparison.Ordinal);
    }

    private async Task<IReadOnlyList<long>> CliIdsAsync(string ledger)
    {
        Command audit = AuditCommand.Create();
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int exit = await audit.Parse(["--ledger", ledger, "--namespace", Namespace, "--limit", "1000", "-o", "json"])
            .InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr }, Ct);
        Assert.True(exit == 0, stderr.ToString());
        using JsonDocument page = JsonDocument.Parse(stdout.ToString());
        return [.. page.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64())];
    }
}
