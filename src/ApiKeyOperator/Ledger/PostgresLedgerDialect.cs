using System.Data.Common;
using System.Globalization;

namespace ApiKeyOperator.Ledger;

/// <summary>
/// PostgreSQL: the version is the highest row of <c>ledger_schema</c>; a transaction-scoped advisory lock makes a
/// second replica starting at the same moment wait, then find the migration done.
/// </summary>
internal sealed class PostgresLedgerDialect : LedgerDialect
{
    // An arbitrary constant of this project's ("apikey" in ASCII), so other applications' advisory locks never collide.
    private const long MigrationLock = 0x6170696b6579;

    public static PostgresLedgerDialect Instance { get; } = new();

    public override string Name => "postgres";

    public override string MigrationSql(LedgerMigration migration) => migration.Postgres;

    public override async Task<int> ReadVersionAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        await using DbCommand exists = connection.CreateCommand();
        exists.Transaction = transaction;
        // Two statements: PostgreSQL resolves every table a statement names before running it.
        exists.CommandText = "SELECT to_regclass('ledger_schema') IS NOT NULL;";
        if (await exists.ExecuteScalarAsync(cancellationToken) is not true)
        {
            return 0;
        }

        await using DbCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT COALESCE(MAX(version), 0) FROM ledger_schema;";
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    public override async Task<DbTransaction> BeginMigrationAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            await using DbCommand command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = string.Create(
                CultureInfo.InvariantCulture,
                $"SELECT pg_advisory_xact_lock({MigrationLock}); CREATE TABLE IF NOT EXISTS ledger_schema (version INTEGER NOT NULL PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now());");
            await command.ExecuteNonQueryAsync(cancellationToken);
            return transaction;
        }
        catch
        {
            await transaction.DisposeAsync();
            throw;
        }
    }

    public override string SetVersionSql(int version) => string.Create(CultureInfo.InvariantCulture, $"INSERT INTO ledger_schema (version) VALUES ({version});");
}
