using System.Collections.Immutable;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace ApiKeyOperator.Ledger;

/// <summary>
/// Versioned schema. The version is SQLite's <c>PRAGMA user_version</c>; migration N (1-based) takes the
/// file from version N-1 to N inside one transaction together with the version bump, so a crash leaves
/// either the old or the new schema. Append new steps; never edit a released one.
/// Times are Unix milliseconds (UTC) so ordering and range queries are integer comparisons.
/// </summary>
internal static class LedgerSchema
{
    public static readonly ImmutableArray<string> Migrations =
    [
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
        // Usage moved to ApiKey status.usage (aggregated in memory, written in batches): the table is gone.
        """
        DROP INDEX IF EXISTS ix_key_usage_last_used;
        DROP TABLE IF EXISTS key_usage;
        """,
    ];

    public static int LatestVersion => Migrations.Length;

    public static async Task<int> ReadVersionAsync(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        await using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "PRAGMA user_version;";
        object? result = await command.ExecuteScalarAsync(cancellationToken);
        return Convert.ToInt32(result, CultureInfo.InvariantCulture);
    }

    /// <summary>Applies every missing migration up to <paramref name="targetVersion"/> (default: latest).</summary>
    /// <exception cref="LedgerSchemaException">The file is newer than this operator.</exception>
    public static async Task MigrateAsync(SqliteConnection connection, string path, CancellationToken cancellationToken, int? targetVersion = null)
    {
        int target = targetVersion ?? LatestVersion;
        int current = await ReadVersionAsync(connection, null, cancellationToken);
        ThrowIfTooNew(current, path);
        for (int version = current + 1; version <= target; version++)
        {
            // BeginTransaction is BEGIN IMMEDIATE: a second process migrating at the same time waits, then
            // sees the bumped version below and skips the step.
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            int inside = await ReadVersionAsync(connection, transaction, cancellationToken);
            ThrowIfTooNew(inside, path);
            if (inside < version)
            {
                await using SqliteCommand command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = Migrations[version - 1] + $"\nPRAGMA user_version = {version.ToString(CultureInfo.InvariantCulture)};";
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }
    }

    public static void ThrowIfTooNew(int version, string path)
    {
        if (version > LatestVersion)
        {
            throw new LedgerSchemaException(
                $"Ledger database '{path}' has schema version {version}, newer than the latest this operator knows ({LatestVersion}). Run a newer operator or point --ledger-path at another file.");
        }
    }
}
