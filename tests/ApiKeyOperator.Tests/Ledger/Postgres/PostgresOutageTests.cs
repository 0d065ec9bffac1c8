using ApiKeyOperator.Hosting;
using ApiKeyOperator.Ledger;
using Microsoft.Extensions.Logging.Abstractions;
using Prometheus;
using TestPostgres;
using Xunit;

namespace ApiKeyOperator.Tests.Ledger.Postgres;

/// <summary>
/// PostgreSQL stopped (crashed) and started again mid-run, with a server of the test's own: rows sent during the
/// outage are refused and counted as waiting, rows committed before it survive, and once the server is back every
/// row, sent again, is stored exactly once.
/// </summary>
public sealed class PostgresOutageTests : LedgerTestBase
{
    [Fact]
    public async Task Rows_sent_while_the_server_is_down_wait_and_land_exactly_once_when_it_is_back()
    {
        await using PostgresServer server = await PostgresFixture.StartPrivateAsync(Ct);
        string url = await server.CreateDatabaseAsync(Ct);
        var registry = Metrics.NewCustomRegistry();
        var backlog = new AuditBacklog(new AuditMetrics(Metrics.WithCustomRegistry(registry)));
        await using var ledger = new PostgresAuditLedger(
            new LedgerOptions { Postgres = PostgresDsn.Parse(url, "test") }, Fixture.Time, Fixture.Health, NullLogger<PostgresAuditLedger>.Instance);
        var trail = new AuditTrail(ledger, backlog, new LeaderElectionStatus(new OperatorOptions()), Fixture.Time, NullLogger<AuditTrail>.Instance);
        AuditEntry[] rows = [.. Enumerable.Range(0, 15).Select(i => LedgerFixture.Entry(apiKey: $"key-{i}", keyId: $"{i:x8}") with { IdempotencyKey = $"Revoked/uid-{i}/{i:x8}" })];
        foreach (AuditEntry row in rows[..5])
        {
            Assert.True(await trail.RecordAsync(row, Ct));
        }

        await server.StopAsync(immediate: true);
        foreach (AuditEntry row in rows[5..])
        {
            Assert.False(await trail.RecordAsync(row, Ct));
        }

        Assert.Equal(10, await MetricsText.ValueAsync(registry, "apikey_audit_rows_pending"));
        Assert.Contains("behind: 10 audit row(s)", new LedgerReadinessCheck(Fixture.Health, backlog).Check().Detail, StringComparison.Ordinal);
        Assert.Equal(LedgerHealthStatus.Degraded, Fixture.Health.Current.Status);

        await server.StartAsync(Ct);
        foreach (AuditEntry row in rows)
        {
            Assert.True(await trail.RecordAsync(row, Ct), Fixture.Health.Current.Message);
        }

        List<AuditEntry> stored = await LedgerFixture.ReadAllAsync(ledger, new AuditQuery { Limit = 1000 });
        Assert.Equal(rows.Select(r => r.IdempotencyKey).Order(), stored.Select(s => s.IdempotencyKey).Order());
        Assert.Equal(0, await MetricsText.ValueAsync(registry, "apikey_audit_rows_pending"));
        Assert.Equal(LedgerHealthStatus.Healthy, Fixture.Health.Current.Status);
    }
}
