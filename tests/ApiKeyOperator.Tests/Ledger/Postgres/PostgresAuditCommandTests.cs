using System.CommandLine;
using System.Text.Json;
using ApiKeyOperator.Ledger;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace ApiKeyOperator.Tests.Ledger.Postgres;

/// <summary>The <c>audit</c> CLI reads a PostgreSQL trail as it reads a file: every replica's rows, and nothing else changes.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresAuditCommandTests(PostgresFixture postgres) : LedgerTestBase
{
    [Fact]
    public async Task The_cli_reads_every_replicas_rows_from_the_database_the_environment_names()
    {
        string url = await postgres.Server.CreateDatabaseAsync(Ct);
        var options = new LedgerOptions { Postgres = PostgresDsn.Parse(url, "test") };
        await using (var first = new PostgresAuditLedger(options, Fixture.Time, Fixture.Health, NullLogger<PostgresAuditLedger>.Instance))
        await using (var second = new PostgresAuditLedger(options, Fixture.Time, Fixture.Health, NullLogger<PostgresAuditLedger>.Instance))
        {
            Assert.True(await first.TryRecordAsync(LedgerFixture.Entry(), Ct));
            Fixture.Time.Advance(TimeSpan.FromMinutes(1));
            Assert.True(await second.TryRecordAsync(LedgerFixture.Entry(AuditEventKinds.Revoked), Ct));
        }

        Command command = AuditCommand.Create(Fixture.Time, name => name == LedgerLocation.EnvironmentVariable ? url : null);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int exit = await command.Parse(["-o", "json"]).InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr }, Ct);

        Assert.Equal(0, exit);
        using JsonDocument page = JsonDocument.Parse(stdout.ToString());
        Assert.Equal(["Revoked", "Issued"], page.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("kind").GetString()));
    }

    [Fact]
    public async Task An_empty_database_is_not_a_ledger_and_the_cli_leaves_it_empty()
    {
        string url = await postgres.Server.CreateDatabaseAsync(Ct);
        Command command = AuditCommand.Create(Fixture.Time, _ => null);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        int exit = await command.Parse(["--ledger", url]).InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr }, Ct);

        Assert.Equal(1, exit);
        Assert.Contains("is not an audit ledger (schema version 0)", stderr.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(postgres.Server.Password, stderr.ToString(), StringComparison.Ordinal);
    }
}
