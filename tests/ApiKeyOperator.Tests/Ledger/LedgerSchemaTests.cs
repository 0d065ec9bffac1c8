using ApiKeyOperator.Ledger;
using Microsoft.Data.Sqlite;
using Xunit;

namespace ApiKeyOperator.Tests.Ledger;

public sealed class LedgerSchemaTests : LedgerTestBase
{
    [Fact]
    public async Task EmptyFile_MigratesToLatest()
    {
        SqliteAuditLedger ledger = Fixture.Open();

        await ledger.InitializeAsync(Ct);

        Assert.Equal(LedgerSchema.LatestVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), await SqliteFiles.ScalarAsync(Fixture.Path, "PRAGMA user_version;", Ct));
        Assert.Equal("audit_events", await SqliteFiles.ScalarAsync(Fixture.Path, "SELECT group_concat(name) FROM sqlite_master WHERE type = 'table' AND name IN ('audit_events', 'key_usage');", Ct));
    }

    [Fact]
    public async Task Version1File_MigratesToLatest_KeepingRows()
    {
        await using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Fixture.Path, Pooling = false }.ToString()))
        {
            await connection.OpenAsync(Ct);
            await LedgerSchema.MigrateAsync(connection, SqliteLedgerDialect.Instance, Fixture.Path, Ct, targetVersion: 1);
        }

        await SqliteFiles.ExecuteAsync(
            Fixture.Path,
            "INSERT INTO audit_events (time_ms, kind, namespace, api_key, key_id, scopes, actor) VALUES (1700000000000, 'Issued', 'payments', 'old-key', '0000abcd', '[\"a\"]', 'argocd-controller');",
            Ct);
        Assert.Equal("1", await SqliteFiles.ScalarAsync(Fixture.Path, "PRAGMA user_version;", Ct));

        SqliteAuditLedger ledger = Fixture.Open();
        await ledger.InitializeAsync(Ct);
        AuditEntry old = Assert.Single((await ledger.QueryAsync(new AuditQuery(), Ct)).Items);

        Assert.Equal(LedgerSchema.LatestVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), await SqliteFiles.ScalarAsync(Fixture.Path, "PRAGMA user_version;", Ct));
        Assert.Equal("old-key", old.ApiKey);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1700000000000).UtcDateTime, old.Time);
        Assert.Equal(["a"], old.Scopes);
        Assert.Equal("argocd-controller", old.Actor);
        // Usage moved to ApiKey status: the table a version-2 file had is dropped.
        Assert.Equal("0", await SqliteFiles.ScalarAsync(Fixture.Path, "SELECT count(*) FROM sqlite_master WHERE name = 'key_usage';", Ct));
    }

    [Fact]
    public async Task Migrating_IsIdempotent_AcrossOpens()
    {
        Fixture.Open().Dispose();
        SqliteAuditLedger ledger = Fixture.Open();

        await ledger.InitializeAsync(Ct);

        Assert.Equal(LedgerSchema.LatestVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), await SqliteFiles.ScalarAsync(Fixture.Path, "PRAGMA user_version;", Ct));
    }

    [Fact]
    public async Task NewerSchema_FailsClearly_AndWritesReportDegradedWithoutThrowing()
    {
        await SqliteFiles.ExecuteAsync(Fixture.Path, "CREATE TABLE future (x); PRAGMA user_version = 99;", Ct);
        SqliteAuditLedger ledger = Fixture.Open();

        var error = await Assert.ThrowsAsync<LedgerSchemaException>(() => ledger.InitializeAsync(Ct));
        bool recorded = await ledger.TryRecordAsync(LedgerFixture.Entry(), Ct);

        Assert.Contains("schema version 99", error.Message, StringComparison.Ordinal);
        Assert.Contains($"latest this operator knows ({LedgerSchema.LatestVersion})", error.Message, StringComparison.Ordinal);
        Assert.False(recorded);
        LedgerHealthSnapshot health = Fixture.Health.Current;
        Assert.Equal(LedgerHealthStatus.Degraded, health.Status);
        Assert.Contains("schema version 99", health.Message, StringComparison.Ordinal);
        // A newer file is not damage: it is left in place, untouched.
        Assert.Equal("99", await SqliteFiles.ScalarAsync(Fixture.Path, "PRAGMA user_version;", Ct));
        Assert.Empty(Directory.GetFiles(Fixture.Directory, "*.corrupt-*"));
    }
}
