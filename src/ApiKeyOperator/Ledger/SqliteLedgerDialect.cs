using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace ApiKeyOperator.Ledger;

/// <summary>SQLite: the version is <c>PRAGMA user_version</c>, and BEGIN IMMEDIATE takes the file's write lock.</summary>
internal sealed class SqliteLedgerDialect : LedgerDialect
{
    public static SqliteLedgerDialect Instance { get; } = new();

    public override string Name => "sqlite";

    public override string MigrationSql(LedgerMigration migration) => migration.Sqlite;

    public override async Task<int> ReadVersionAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        await using DbCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "PRAGMA user_version;";
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    public override async Task<DbTransaction> BeginMigrationAsync(DbConnection connection, CancellationToken cancellationToken) =>
        // Microsoft.Data.Sqlite begins IMMEDIATE unless asked for a deferred transaction.
        await ((SqliteConnection)connection).BeginTransactionAsync(cancellationToken);

    public override string SetVersionSql(int version) => string.Create(CultureInfo.InvariantCulture, $"PRAGMA user_version = {version};");
}
