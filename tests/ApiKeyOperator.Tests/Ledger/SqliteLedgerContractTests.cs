using ApiKeyOperator.Ledger;

namespace ApiKeyOperator.Tests.Ledger;

/// <summary><see cref="AuditLedgerContractTests"/> on a SQLite file (two ledgers on it stand for two processes).</summary>
public sealed class SqliteLedgerContractTests : AuditLedgerContractTests
{
    private readonly string _directory = Directory.CreateTempSubdirectory("ledger-contract-").FullName;

    private protected override Task<SqlAuditLedger> OpenAsync(LedgerOptions options, IAuditStream? stream) =>
        Task.FromResult<SqlAuditLedger>(new SqliteAuditLedger(
            options with { Path = Path.Combine(_directory, "ledger.db") }, Time, Health, new ListLogger<SqliteAuditLedger>(), stream, Metrics));

    private protected override ValueTask CloseAsync(SqlAuditLedger ledger)
    {
        ((SqliteAuditLedger)ledger).Dispose();
        return ValueTask.CompletedTask;
    }

    private protected override ValueTask DisposeStoreAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return ValueTask.CompletedTask;
    }
}
