using System.Security.Cryptography;
using ApiKeyOperator.Ledger;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Xunit;

namespace ApiKeyOperator.Tests.Ledger;

public sealed class LedgerRecoveryTests : LedgerTestBase
{
    [Fact]
    public async Task GarbageFile_IsMovedAside_FreshLedgerWorks_HealthDegraded()
    {
        byte[] garbage = RandomNumberGenerator.GetBytes(8192);
        await File.WriteAllBytesAsync(Fixture.Path, garbage, Ct);
        SqliteAuditLedger ledger = Fixture.Open();

        bool recorded = await ledger.TryRecordAsync(LedgerFixture.Entry(), Ct);

        string aside = $"{Fixture.Path}.corrupt-20261123120000";
        Assert.True(recorded);
        Assert.Equal(garbage, await File.ReadAllBytesAsync(aside, Ct));
        Assert.Single((await ledger.QueryAsync(new AuditQuery(), Ct)).Items);
        LedgerHealthSnapshot health = Fixture.Health.Current;
        Assert.Equal(LedgerHealthStatus.Degraded, health.Status);
        Assert.Contains("moved aside to " + aside, health.Message, StringComparison.Ordinal);
        Assert.Contains(Fixture.Logger.Lines, line => line.Level == LogLevel.Warning && line.Text.Contains(aside, StringComparison.Ordinal));
    }

    [Fact]
    public async Task DamagedPages_FailingQuickCheck_AreMovedAside()
    {
        SqliteAuditLedger first = Fixture.Open(new LedgerOptions { Path = Fixture.Path });
        for (int i = 0; i < 300; i++)
        {
            Assert.True(await first.TryRecordAsync(LedgerFixture.Entry() with { Message = $"row {i} with some padding to fill pages" }, Ct));
        }

        first.Dispose();
        await SqliteFiles.ExecuteAsync(Fixture.Path, "PRAGMA wal_checkpoint(TRUNCATE);", Ct);
        // Keep the header page intact so SQLite opens the file, and scribble over the pages after it.
        await using (FileStream stream = File.OpenWrite(Fixture.Path))
        {
            stream.Seek(4096, SeekOrigin.Begin);
            await stream.WriteAsync(RandomNumberGenerator.GetBytes(4096 * 4), Ct);
        }

        SqliteAuditLedger second = Fixture.Open();
        Assert.True(await second.TryRecordAsync(LedgerFixture.Entry(AuditEventKinds.Deleted), Ct));

        Assert.Single(Directory.GetFiles(Fixture.Directory, "ledger.db.corrupt-20261123120000"));
        Assert.Equal(AuditEventKinds.Deleted, Assert.Single((await second.QueryAsync(new AuditQuery(), Ct)).Items).Kind);
        Assert.Equal(LedgerHealthStatus.Degraded, Fixture.Health.Current.Status);
    }

    [Fact]
    public async Task SecondCorruptionInTheSameSecond_DoesNotOverwriteTheFirst()
    {
        string first = $"{Fixture.Path}.corrupt-20261123120000";
        await File.WriteAllTextAsync(first, "earlier damaged file", Ct);
        await File.WriteAllTextAsync(Fixture.Path, "this is not a database, just some text long enough to be read", Ct);

        await Fixture.Open().InitializeAsync(Ct);

        Assert.Equal("earlier damaged file", await File.ReadAllTextAsync(first, Ct));
        Assert.True(File.Exists(first + "-2"));
    }

    [Fact]
    public async Task HealthyFile_IsNeverMovedAside()
    {
        SqliteAuditLedger first = Fixture.Open();
        Assert.True(await first.TryRecordAsync(LedgerFixture.Entry(), Ct));
        first.Dispose();

        SqliteAuditLedger second = Fixture.Open();
        await second.InitializeAsync(Ct);

        Assert.Empty(Directory.GetFiles(Fixture.Directory, "*.corrupt-*"));
        Assert.Equal(LedgerHealthStatus.Healthy, Fixture.Health.Current.Status);
    }

    [Fact]
    public async Task WriteLockedBeyondBusyTimeout_ReturnsFalse_WarnsOncePerOperation_ThenRecovers()
    {
        SqliteAuditLedger ledger = Fixture.Open(new LedgerOptions { Path = Fixture.Path, BusyTimeout = TimeSpan.FromMilliseconds(100) });
        await ledger.InitializeAsync(Ct);
        await using (var holder = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Fixture.Path, Pooling = false }.ToString()))
        {
            await holder.OpenAsync(Ct);
            await using SqliteTransaction transaction = holder.BeginTransaction();
            await using (SqliteCommand write = holder.CreateCommand())
            {
                write.Transaction = transaction;
                write.CommandText = "INSERT INTO audit_events (time_ms, kind, namespace, api_key, actor) VALUES (0, 'Issued', 'x', 'y', 'z');";
                await write.ExecuteNonQueryAsync(Ct);
            }

            bool first = await ledger.TryRecordAsync(LedgerFixture.Entry(), Ct);
            bool second = await ledger.TryRecordAsync(LedgerFixture.Entry(), Ct);

            Assert.False(first);
            Assert.False(second);
            LedgerHealthSnapshot degraded = Fixture.Health.Current;
            Assert.Equal(LedgerHealthStatus.Degraded, degraded.Status);
            Assert.Contains("locked", degraded.Message, StringComparison.OrdinalIgnoreCase);
            await transaction.RollbackAsync(Ct);
        }

        Assert.True(await ledger.TryRecordAsync(LedgerFixture.Entry(), Ct));
        Assert.Equal(LedgerHealthStatus.Healthy, Fixture.Health.Current.Status);
        Assert.Single((await ledger.QueryAsync(new AuditQuery(), Ct)).Items);
        // Two failures of the same operation and cause: one warning, not one per call.
        Assert.Equal(1, Fixture.Logger.Lines.Count(line => line.Level == LogLevel.Warning));
    }
}
