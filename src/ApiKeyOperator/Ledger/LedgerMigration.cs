namespace ApiKeyOperator.Ledger;

/// <summary>
/// One schema step, as SQL for each store. Most steps are the same text on both (<see cref="Both"/>); an empty
/// text is a step that store never needed (it keeps the version numbers of the two stores the same).
/// </summary>
internal sealed record LedgerMigration(string Sqlite, string Postgres)
{
    public static LedgerMigration Both(string sql) => new(sql, sql);
}
