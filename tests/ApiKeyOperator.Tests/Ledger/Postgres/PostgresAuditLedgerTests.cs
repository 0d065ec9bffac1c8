using ApiKeyOperator.Ledger;
using Microsoft.Extensions.Logging;
using Npgsql;
using Xunit;

namespace ApiKeyOperator.Tests.Ledger.Postgres;

[Collection(PostgresCollection.Name)]
public sealed class PostgresAuditLedgerTests(PostgresFixture postgres) : LedgerTestBase
{
    [Fact]
    public async Task Replicas_starting_at_once_migrate_one_schema_between_them()
    {
        string url = await postgres.Server.CreateDatabaseAsync(Ct);
        var ledgers = Enumerable.Range(0, 4).Select(_ => Open(url)).ToList();

        await Task.WhenAll(ledgers.Select(l => Task.Run(() => l.InitializeAsync(Ct), Ct)));

        Assert.Equal(
            Enumerable.Range(1, LedgerSchema.LatestVersion).Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            await ColumnAsync(url, "SELECT version FROM ledger_schema ORDER BY version;"));
        Assert.Equal(["audit_events", "ledger_schema"], await ColumnAsync(url, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name;"));
        await DisposeAllAsync(ledgers);
    }

    [Fact]
    public async Task A_database_migrated_by_a_newer_operator_is_refused()
    {
        string url = await postgres.Server.CreateDatabaseAsync(Ct);
        PostgresAuditLedger first = Open(url);
        await first.InitializeAsync(Ct);
        await ExecuteAsync(url, "INSERT INTO ledger_schema (version) VALUES (99);");
        PostgresAuditLedger second = Open(url);

        var error = await Assert.ThrowsAsync<LedgerSchemaException>(() => second.InitializeAsync(Ct));

        Assert.Contains("schema version 99", error.Message, StringComparison.Ordinal);
        Assert.False(await second.TryRecordAsync(LedgerFixture.Entry(), Ct));
        await DisposeAllAsync([first, second]);
    }

    [Fact]
    public async Task The_password_shows_in_no_log_health_message_or_location()
    {
        string url = await postgres.Server.CreateDatabaseAsync(Ct);
        var logger = new ListLogger<PostgresAuditLedger>();
        string wrong = "Wr0ngPassw0rd-" + Guid.NewGuid().ToString("N");
        var good = new PostgresAuditLedger(new LedgerOptions { Postgres = PostgresDsn.Parse(url, "test") }, Fixture.Time, Fixture.Health, logger);
        var bad = new PostgresAuditLedger(
            new LedgerOptions { Postgres = PostgresDsn.Parse(url.Replace(postgres.Server.Password, wrong, StringComparison.Ordinal), "test") },
            Fixture.Time, Fixture.Health, logger);

        Assert.True(await good.TryRecordAsync(LedgerFixture.Entry(), Ct));
        Assert.False(await bad.TryRecordAsync(LedgerFixture.Entry(), Ct));

        string everything = string.Join('\n', logger.Lines.Select(l => l.Text)) + Fixture.Health.Current.Message + good.Location + bad.Location;
        Assert.Contains("password authentication failed", everything, StringComparison.Ordinal);
        Assert.DoesNotContain(postgres.Server.Password, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, everything, StringComparison.Ordinal);
        Assert.Contains($"{TestPostgres.PostgresServer.User}:***@127.0.0.1:{postgres.Server.Port}", good.Location, StringComparison.Ordinal);
        Assert.Contains(logger.Lines, l => l.Level == LogLevel.Warning);
        await DisposeAllAsync([good, bad]);
    }

    private PostgresAuditLedger Open(string url) =>
        new(new LedgerOptions { Postgres = PostgresDsn.Parse(url, "test") }, Fixture.Time, Fixture.Health, new ListLogger<PostgresAuditLedger>());

    private static async Task DisposeAllAsync(IEnumerable<PostgresAuditLedger> ledgers)
    {
        foreach (PostgresAuditLedger ledger in ledgers)
        {
            await ledger.DisposeAsync();
        }
    }

    private static async Task ExecuteAsync(string url, string sql)
    {
        await using var connection = new NpgsqlConnection(PostgresDsn.Parse(url, "test").ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Ct);
    }

    private static async Task<List<string>> ColumnAsync(string url, string sql)
    {
        await using var connection = new NpgsqlConnection(PostgresDsn.Parse(url, "test").ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var values = new List<string>();
        while (await reader.ReadAsync(Ct))
        {
            values.Add(Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!);
        }

        return values;
    }
}
