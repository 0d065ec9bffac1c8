using ApiKeyOperator.Ledger;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace ApiKeyOperator.Tests.Ledger;

public sealed class LedgerRetentionTests : LedgerTestBase
{
    [Fact]
    public async Task Purge_DeletesExactlyTheRowsOlderThanRetention()
    {
        var options = new LedgerOptions { Path = Fixture.Path, Retention = TimeSpan.FromDays(10) };
        SqliteAuditLedger ledger = Fixture.Open(options);
        // One row per day for 15 days: days 0..14.
        for (int day = 0; day < 15; day++)
        {
            Assert.True(await ledger.TryRecordAsync(LedgerFixture.Entry() with { Message = $"day {day}" }, Ct));
            Fixture.Time.Advance(TimeSpan.FromDays(1));
        }

        // Now = day 15; cutoff = day 5 exactly, which is kept.
        int purged = await ledger.PurgeAsync(Ct);
        List<AuditEntry> left = await LedgerFixture.ReadAllAsync(ledger, new AuditQuery());

        Assert.Equal(5, purged);
        Assert.Equal(Enumerable.Range(5, 10).Reverse().Select(d => $"day {d}"), left.Select(e => e.Message));
        Assert.Equal(0, await ledger.PurgeAsync(Ct));
    }

    [Fact]
    public async Task Purge_RemovesManyRowsInBatches()
    {
        var options = new LedgerOptions { Path = Fixture.Path, Retention = TimeSpan.FromDays(1) };
        SqliteAuditLedger ledger = Fixture.Open(options);
        for (int i = 0; i < 2500; i++)
        {
            Assert.True(await ledger.TryRecordAsync(LedgerFixture.Entry(), Ct));
        }

        Fixture.Time.Advance(TimeSpan.FromDays(2));
        Assert.True(await ledger.TryRecordAsync(LedgerFixture.Entry(AuditEventKinds.Deleted), Ct));

        Assert.Equal(2500, await ledger.PurgeAsync(Ct));
        Assert.Equal(AuditEventKinds.Deleted, Assert.Single((await ledger.QueryAsync(new AuditQuery(), Ct)).Items).Kind);
    }

    [Fact]
    public async Task MaintenanceService_PurgesAtStartAndOnEveryInterval()
    {
        var options = new LedgerOptions { Path = Fixture.Path, Retention = TimeSpan.FromDays(10), MaintenanceInterval = TimeSpan.FromHours(1) };
        SqliteAuditLedger ledger = Fixture.Open(options);
        Assert.True(await ledger.TryRecordAsync(LedgerFixture.Entry() with { Message = "ancient" }, Ct));
        Fixture.Time.Advance(TimeSpan.FromDays(10) + TimeSpan.FromMinutes(30));
        Assert.True(await ledger.TryRecordAsync(LedgerFixture.Entry() with { Message = "recent" }, Ct));
        using var service = new LedgerMaintenanceService(ledger, options, Fixture.Time, NullLogger<LedgerMaintenanceService>.Instance);

        await service.StartAsync(Ct);
        await Eventually.WaitAsync(async () => await MessagesAsync(ledger) is ["recent"]);

        // "recent" is past the retention one minute after its 10th day; the next hourly tick removes it.
        Fixture.Time.Advance(TimeSpan.FromDays(10) + TimeSpan.FromMinutes(1));
        await Eventually.WaitAsync(async () => await MessagesAsync(ledger) is []);
        await service.StopAsync(Ct);
    }

    private static async Task<string?[]> MessagesAsync(IAuditLedger ledger) =>
        [.. (await LedgerFixture.ReadAllAsync(ledger, new AuditQuery())).Select(e => e.Message)];
}
