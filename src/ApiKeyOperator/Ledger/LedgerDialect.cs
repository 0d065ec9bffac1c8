using System.Data.Common;

namespace ApiKeyOperator.Ledger;

/// <summary>
/// What differs between the ledger's two stores: where the schema version lives, how a migration shuts out a
/// second replica migrating at the same time, and which text of a <see cref="LedgerMigration"/> applies. Every
/// query and write is the same SQL on both (named <c>@parameters</c>, <c>ON CONFLICT DO NOTHING</c>, <c>RETURNING</c>).
/// </summary>
internal abstract class LedgerDialect
{
    public abstract string Name { get; }

    public abstract string MigrationSql(LedgerMigration migration);

    /// <summary>The schema version; 0 for an empty database.</summary>
    public abstract Task<int> ReadVersionAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken);

    /// <summary>Starts a migration transaction that no other migrator can run beside.</summary>
    public abstract Task<DbTransaction> BeginMigrationAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Records <paramref name="version"/> inside the migration transaction.</summary>
    public abstract string SetVersionSql(int version);
}
