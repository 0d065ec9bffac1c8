using System.Security.Cryptography;
using ApiKeyOperator.Ledger;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Xunit;

namespace ApiKeyOperator.Tests.Ledger;

public sealed class LedgerRecoveryTests : LedgerTestBase
{
    [Fact]
    public async Task A_file_that_is_not_SQLite_is_refused_and_left_exactly_as_it_is()
    {
        byte[] garbage = RandomNumberGenerator.GetBytes(8192);
        await File.WriteAllBytesAsync(Fixture.Path, garbage, Ct);
        SqliteAuditLedger ledger = Fixture.Open();

        bool recorded = await ledger.TryRecordAsync(LedgerFixture.Entry(), Ct);

        Assert.False(recorded);
        Assert.Equal(garbage, await File.ReadAllBytesAsync(Fixture.Path, Ct));
        Assert.Equal(["ledger.db"], Directory.GetFiles(Fixture.Directory).Select(Path.GetFileName));
        LedgerHealthSnapshot health = Fixture.Health.Current;
        Assert.Equal(LedgerHealthStatus.Degraded, health.Status);
        Assert.Contains("is not a SQLite database", health.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_SQLite_database_of_something_else_is_refused_and_left_exactly_as_it_is()
    {
        await SqliteFiles.ExecuteAsync(Fixture.Path, "CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL); INSERT INTO invoices VALUES (1, 9.5);", Ct);
        byte[] before = await File.ReadAllBytesAsync(Fixture.Path, Ct);
        SqliteAuditLedger ledger = Fixture.Open();

        await Assert.ThrowsAsync<LedgerSchemaException>(() => ledger.InitializeAsync(Ct));

        Assert.Equal(before, await File.ReadAllBytesAsync(Fixture.Path, Ct));
        Assert.Equal("invoices", await SqliteFiles.ScalarAsync(Fixture.Path, "SELECT group_concat(name) FROM sqlite_master WHERE type = 'table';", Ct));
        Assert.Empty(Directory.GetFiles(Fixture.Directory, "*.corrupt-*"));
        Assert.Contains("SQLite database of something else", Fixture.Health.Current.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_damaged_SQLite_database_that_is_not_a_ledger_is_not_moved_aside()
    {
        await SqliteFiles.ExecuteAsync(Fixture.Path, "CREATE TABLE invoices (id INTEGER PRIMARY KEY, note TEXT);", Ct);
        for (int i = 0; i < 50; i++)
        {
            await SqliteFiles.ExecuteAsync(Fixture.Path, $"INSERT INTO invoices (note) VALUES ('{new string('n', 400)}');", Ct);
        }

        await ScribbleAfterHeaderAsync(Fixture.Path);
        byte[] before = await File.ReadAllBytesAsync(Fixture.Path, Ct);

        Assert.False(await Fixture.Open().TryRecordAsync(LedgerFixture.Entry(), Ct));

        Assert.Equal(before, await File.ReadAllBytesAsync(Fixture.Path, Ct));
        Assert.Empty(Directory.GetFiles(Fixture.Directory, "*.corrupt-*"));
        Assert.Contains("carries no ledger schema version", Fixture.Health.Current.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DamagedPages_FailingQuickCheck_AreMovedAside()
    {
        await DamagedLedgerAsync();

        SqliteAuditLedger second = Fixture.Open();
        Assert.True(await second.TryRecordAsync(LedgerFixture.Entry(AuditEventKinds.Deleted), Ct));

        string aside = $"{Fixture.Path}.corrupt-20261123120000";
        Assert.Single(Directory.GetFiles(Fixture.Directory, "ledger.db.corrupt-20261123120000"));
        Assert.Equal(AuditEventKinds.Deleted, Assert.Single((await second.QueryAsync(new AuditQuery(), Ct)).Items).Kind);
        LedgerHealthSnapshot health = Fixture.Health.Current;
        Assert.Equal(LedgerHealthStatus.Degraded, health.Status);
        Assert.Contains("moved aside to " + aside, health.Message, StringComparison.Ordinal);
        Assert.Contains(Fixture.Logger.Lines, line => line.Level == LogLevel.Warning && line.Text.Contains(aside, StringComparison.Ordinal));
    }

    [Fact]
    public async Task SecondCorruptionInTheSameSecond_DoesNotOverwriteTheFirst()
    {
        string first = $"{Fixture.Path}.corrupt-20261123120000";
        await File.WriteAllTextAsync(first, "earlier damaged file", Ct);
        await DamagedLedgerAsync();

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

    /// <summary>A real ledger with rows, checkpointed into the file, then with pages after the header scribbled over.</summary>
    private async Task DamagedLedgerAsync()
    {
        var ledger = new SqliteAuditLedger(new LedgerOptions { Path = Fixture.Path }, Fixture.Time, new LedgerHealth(), new ListLogger<SqliteAuditLedger>());
        for (int i = 0; i < 300; i++)
        {
            Assert.True(await ledger.TryRecordAsync(LedgerFixture.Entry() with { Message = $"row {i} with some padding to fill pages" }, Ct));
        }

        ledger.Dispose();
        await SqliteFiles.ExecuteAsync(Fixture.Path, "PRAGMA wal_checkpoint(TRUNCATE);", Ct);
        await ScribbleAfterHeaderAsync(Fixture.Path);
    }

    /// <summary>Keeps the header page intact, so SQLite opens the file, and scribbles over the pages after it.</summary>
    private static async Task ScribbleAfterHeaderAsync(string path)
    {
        await using FileStream stream = File.OpenWrite(path);
        stream.Seek(4096, SeekOrigin.Begin);
        await stream.WriteAsync(RandomNumberGenerator.GetBytes(4096 * 4), Ct);
    }
}
