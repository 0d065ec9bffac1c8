using ApiKeyOperator.Hosting;
using ApiKeyOperator.Ledger;
using Microsoft.Extensions.Logging.Abstractions;
using Prometheus;
using Xunit;

namespace ApiKeyOperator.Tests.Ledger;

/// <summary>
/// A full disk and a read-only volume under the SQLite ledger: rows sent meanwhile are refused (the trail says so),
/// counted as waiting, and each lands exactly once when it is sent again after the fault clears.
/// </summary>
public sealed class AuditFaultTests : LedgerTestBase
{
    private readonly CollectorRegistry _registry = Metrics.NewCustomRegistry();

    [Fact]
    public async Task Rows_refused_by_a_full_disk_wait_and_land_exactly_once_when_space_is_back()
    {
        using TmpfsMount disk = TmpfsMount.TryCreate(2 * 1024 * 1024, out string? unavailable) ?? Skip(unavailable!);
        var options = new LedgerOptions { Path = Path.Combine(disk.Path, "ledger.db") };
        using var ledger = new SqliteAuditLedger(options, Fixture.Time, Fixture.Health, Fixture.Logger);
        var (trail, backlog) = Trail(ledger);
        var rows = Rows(12);
        await SendAllAsync(trail, rows[..4], expected: true);

        string filler = disk.Fill();
        await SendAllAsync(trail, rows[4..], expected: false);

        Assert.Equal(8, backlog.Count);
        Assert.Equal(8, await MetricsText.ValueAsync(_registry, "apikey_audit_rows_pending"));
        var ready = new LedgerReadinessCheck(Fixture.Health, backlog).Check();
        Assert.True(ready.Ready);
        Assert.Contains("behind: 8 audit row(s) waiting to be written since 2026-11-23T12:00:00Z", ready.Detail, StringComparison.Ordinal);
        Assert.Contains("full", ready.Detail, StringComparison.OrdinalIgnoreCase);

        File.Delete(filler);
        // The outbox sends every row it still holds, landed or not: the landed ones are duplicates, not errors.
        await SendAllAsync(trail, rows, expected: true);

        await AssertExactlyOnceAsync(ledger, rows);
        Assert.Equal(0, backlog.Count);
        Assert.Equal(0, await MetricsText.ValueAsync(_registry, "apikey_audit_rows_pending"));
        Assert.Null(new LedgerReadinessCheck(Fixture.Health, backlog).Check().Detail);
    }

    [Fact]
    public async Task Rows_refused_by_a_read_only_volume_wait_and_land_exactly_once_when_it_is_writable_again()
    {
        using TmpfsMount volume = TmpfsMount.TryCreate(8 * 1024 * 1024, out string? unavailable) ?? Skip(unavailable!);
        var options = new LedgerOptions { Path = Path.Combine(volume.Path, "ledger.db") };
        var rows = Rows(10);
        using (var before = new SqliteAuditLedger(options, Fixture.Time, Fixture.Health, Fixture.Logger))
        {
            await SendAllAsync(Trail(before).Trail, rows[..3], expected: true);
        }

        // The pod comes back on a volume mounted read-only.
        volume.RemountReadOnly();
        using var ledger = new SqliteAuditLedger(options, Fixture.Time, Fixture.Health, Fixture.Logger);
        var (trail, backlog) = Trail(ledger);
        await SendAllAsync(trail, rows[3..], expected: false);
        Assert.Equal(7, backlog.Count);
        Assert.Equal(LedgerHealthStatus.Degraded, Fixture.Health.Current.Status);

        volume.RemountReadWrite();
        await SendAllAsync(trail, rows, expected: true);

        await AssertExactlyOnceAsync(ledger, rows);
        Assert.Equal(0, backlog.Count);
    }

    private static TmpfsMount Skip(string reason)
    {
        Assert.Skip(reason);
        return null!;
    }

    private static AuditEntry[] Rows(int count) =>
        [.. Enumerable.Range(0, count).Select(i => LedgerFixture.Entry(apiKey: $"key-{i}", keyId: $"{i:x8}") with { IdempotencyKey = $"Issued/uid-{i}/{i:x8}" })];

    private static async Task SendAllAsync(AuditTrail trail, IEnumerable<AuditEntry> rows, bool expected)
    {
        foreach (AuditEntry row in rows)
        {
            Assert.Equal(expected, await trail.RecordAsync(row, Ct));
        }
    }

    private static async Task AssertExactlyOnceAsync(IAuditLedger ledger, AuditEntry[] rows)
    {
        List<AuditEntry> stored = await LedgerFixture.ReadAllAsync(ledger, new AuditQuery { Limit = 1000 });
        Assert.Equal(rows.Select(r => r.IdempotencyKey).Order(), stored.Select(s => s.IdempotencyKey).Order());
    }

    private (AuditTrail Trail, AuditBacklog Backlog) Trail(IAuditLedger ledger)
    {
        var backlog = new AuditBacklog(new AuditMetrics(Metrics.WithCustomRegistry(_registry)));
        return (new AuditTrail(ledger, backlog, new LeaderElectionStatus(new OperatorOptions()), Fixture.Time, NullLogger<AuditTrail>.Instance), backlog);
    }
}
