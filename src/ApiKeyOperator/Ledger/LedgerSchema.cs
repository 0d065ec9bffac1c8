using System.Collections.Immutable;
using System.Data.Common;

namespace ApiKeyOperator.Ledger;

/// <summary>
/// Versioned schema, the same steps on SQLite and PostgreSQL (see <see cref="LedgerMigration"/>). Migration N
/// (1-based) takes the database from version N-1 to N inside one transaction together with the version bump, so
/// a crash leaves either the old or the new schema, and a replica migrating at the same time waits, then skips
/// the step. Append new steps; never edit a released one. Times are Unix milliseconds (UTC), so ordering and
/// range queries are integer comparisons on both stores; scopes are a JSON array as text.
/// </summary>
internal static class LedgerSchema
{
    public static readonly ImmutableArray<LedgerMigration> Migrations =
    [
        new(
            """
            CREATE TABLE audit_events (
                id         INTEGER PRIMARY KEY AUTOINCREMENT,
                time_ms    INTEGER NOT NULL,
                kind       TEXT    NOT NULL,
                namespace  TEXT    NOT NULL,
                api_key    TEXT    NOT NULL,
                key_id     TEXT,
                scopes     TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(scopes) AND json_type(scopes) = 'array'),
                reason     TEXT,
                rotation   TEXT,
                actor      TEXT    NOT NULL,
                message    TEXT
            );
            CREATE INDEX ix_audit_events_time ON audit_events (time_ms, id);
            CREATE INDEX ix_audit_events_apikey ON audit_events (namespace, api_key, time_ms, id);
            """,
            """
            CREATE TABLE audit_events (
                id         BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                time_ms    BIGINT  NOT NULL,
                kind       TEXT    NOT NULL,
                namespace  TEXT    NOT NULL,
                api_key    TEXT    NOT NULL,
                key_id     TEXT,
                scopes     TEXT    NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(scopes::jsonb) = 'array'),
                reason     TEXT,
                rotation   TEXT,
                actor      TEXT    NOT NULL,
                message    TEXT
            );
            CREATE INDEX ix_audit_events_time ON audit_events (time_ms, id);
            CREATE INDEX ix_audit_events_apikey ON audit_events (namespace, api_key, time_ms, id);
            """),

        // Key usage, kept in SQLite files of the first release only (it lives in ApiKey status.usage now).
        new(
            """
            CREATE TABLE key_usage (
                namespace     TEXT    NOT NULL,
                api_key       TEXT    NOT NULL,
                key_id        TEXT    NOT NULL,
                last_used_ms  INTEGER NOT NULL,
                use_count     INTEGER NOT NULL,
                PRIMARY KEY (namespace, api_key, key_id)
            ) WITHOUT ROWID;
            CREATE INDEX ix_key_usage_last_used ON key_usage (last_used_ms);
            """,
            string.Empty),

        // Usage moved to ApiKey status.usage (aggregated in memory, written in batches): the table is gone.
        new(
            """
            DROP INDEX IF EXISTS ix_key_usage_last_used;
            DROP TABLE IF EXISTS key_usage;
            """,
            string.Empty),

        // At most one row per fact: a row re-sent after a crash or an outage carries the same key and lands once.
        // NULL keys never collide (on both stores), so rows without one are never deduplicated.
        LedgerMigration.Both(
            """
            ALTER TABLE audit_events ADD COLUMN idempotency_key TEXT;
            CREATE UNIQUE INDEX ux_audit_events_idempotency_key ON audit_events (idempotency_key);
            """),
    ];

    public static int LatestVersion => Migrations.Length;

    /// <summary>Applies every missing migration up to <paramref name="targetVersion"/> (default: latest).</summary>
    /// <exception cref="LedgerSchemaException">The database is newer than this operator.</exception>
    public static async Task MigrateAsync(DbConnection connection, LedgerDialect dialect, string location, CancellationToken cancellationToken, int? targetVersion = null)
    {
        int target = targetVersion ?? LatestVersion;
        int current = await dialect.ReadVersionAsync(connection, null, cancellationToken);
        ThrowIfTooNew(current, location);
        for (int version = current + 1; version <= target; version++)
        {
            await using DbTransaction transaction = await dialect.BeginMigrationAsync(connection, cancellationToken);
            int inside = await dialect.ReadVersionAsync(connection, transaction, cancellationToken);
            ThrowIfTooNew(inside, location);
            if (inside < version)
            {
                await using DbCommand command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = dialect.MigrationSql(Migrations[version - 1]) + "\n" + dialect.SetVersionSql(version);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }
    }

    public static void ThrowIfTooNew(int version, string location)
    {
        if (version > LatestVersion)
        {
            throw new LedgerSchemaException(
                $"Ledger database '{location}' has schema version {version}, newer than the latest this operator knows ({LatestVersion}). Run a newer operator or point the ledger at another database.");
        }
    }
}
