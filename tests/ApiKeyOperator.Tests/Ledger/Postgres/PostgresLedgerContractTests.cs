using ApiKeyOperator.Ledger;
using Xunit;

namespace ApiKeyOperator.Tests.Ledger.Postgres;

/// <summary><see cref="AuditLedgerContractTests"/> on a real PostgreSQL database of its own (two ledgers on it are two replicas).</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresLedgerContractTests(PostgresFixture postgres) : AuditLedgerContractTests
{
    private string? _url;

    private protected override async Task<SqlAuditLedger> OpenAsync(LedgerOptions options, IAuditStream? stream)
    {
        _url ??= await postgres.Server.CreateDatabaseAsync(Ct);
        return new PostgresAuditLedger(
            options with { Postgres = PostgresDsn.Parse(_url, "test") }, Time, Health, new ListLogger<PostgresAuditLedger>(), stream, Metrics);
    }

    private protected override ValueTask CloseAsync(SqlAuditLedger ledger) => ((PostgresAuditLedger)ledger).DisposeAsync();

    private protected override ValueTask DisposeStoreAsync() => ValueTask.CompletedTask;
}
