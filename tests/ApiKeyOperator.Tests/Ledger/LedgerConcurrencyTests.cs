using ApiKeyOperator.Ledger;
using Xunit;

namespace ApiKeyOperator.Tests.Ledger;

public sealed class LedgerConcurrencyTests : LedgerTestBase
{
    [Fact]
    public async Task EightWritersTimesTwoHundredRows_AllLand()
    {
        const int writers = 8;
        const int rowsEach = 200;
        SqliteAuditLedger ledger = Fixture.Open();
        await ledger.InitializeAsync(Ct);
        using var start = new ManualResetEventSlim();

        Task<int>[] tasks = [.. Enumerable.Range(0, writers).Select(writer => Task.Run(async () =>
        {
            start.Wait(Ct);
            int ok = 0;
            for (int i = 0; i < rowsEach; i++)
            {
                AuditEntry entry = LedgerFixture.Entry(apiKey: $"writer-{writer}") with { Message = $"{writer}/{i}" };
                ok += await ledger.TryRecordAsync(entry, Ct) ? 1 : 0;
            }

            return ok;
        }, Ct))];
        start.Set();
        int[] written = await Task.WhenAll(tasks);

        List<AuditEntry> rows = await LedgerFixture.ReadAllAsync(ledger, new AuditQuery { Limit = AuditQuery.MaxLimit });
        Assert.All(written, count => Assert.Equal(rowsEach, count));
        Assert.Equal(writers * rowsEach, rows.Count);
        Assert.Equal(writers * rowsEach, rows.Select(r => r.Message).Distinct().Count());
        Assert.Equal(LedgerHealthStatus.Healthy, Fixture.Health.Current.Status);
        Assert.DoesNotContain(Fixture.Logger.Lines, line => line.Level >= Microsoft.Extensions.Logging.LogLevel.Warning);
    }

    [Fact]
    public async Task TwoLedgersOnOneFile_LikeTwoProcesses_EveryRowLands()
    {
        // Separate instances hold separate write connections, so here SQLite's file lock and the busy
        // timeout (not the in-process gate) arbitrate, as between an old and a new operator pod.
        SqliteAuditLedger[] ledgers = [Fixture.Open(), Fixture.Open()];
        await Task.WhenAll(ledgers.Select(l => l.InitializeAsync(Ct)));

        bool[][] results = await Task.WhenAll(Enumerable.Range(0, 8).Select(writer => Task.Run(async () =>
        {
            var ok = new bool[200];
            for (int i = 0; i < ok.Length; i++)
            {
                SqliteAuditLedger ledger = ledgers[writer % 2];
                ok[i] = await ledger.TryRecordAsync(LedgerFixture.Entry() with { Message = $"{writer}/{i}" }, Ct);
            }

            return ok;
        }, Ct)));

        Assert.All(results.SelectMany(r => r), Assert.True);
        Assert.Equal(1600, (await LedgerFixture.ReadAllAsync(ledgers[0], new AuditQuery { Limit = AuditQuery.MaxLimit })).Count);
        Assert.Equal(LedgerHealthStatus.Healthy, Fixture.Health.Current.Status);
    }

    [Fact]
    public async Task ConcurrentFirstUse_InitializesOnce()
    {
        SqliteAuditLedger ledger = Fixture.Open();

        bool[] results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => ledger.TryRecordAsync(LedgerFixture.Entry(), Ct), Ct)));

        Assert.All(results, Assert.True);
        Assert.Equal(8, (await ledger.QueryAsync(new AuditQuery(), Ct)).Items.Count);
        Assert.Single(Fixture.Logger.Lines, line => line.Text.StartsWith("Audit ledger open at", StringComparison.Ordinal));
    }
}
