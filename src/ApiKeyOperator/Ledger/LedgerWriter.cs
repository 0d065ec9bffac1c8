using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace ApiKeyOperator.Ledger;

/// <summary>
/// The ledger's one write connection with its statements prepared once. SQLite admits one writer at a time
/// anyway, so a single connection used under a gate costs no throughput and skips the per-call open,
/// pragma and parse work (several times the writes per second of a pooled connection per call).
/// Not thread-safe: <see cref="SqliteAuditLedger"/> serialises access.
/// </summary>
internal sealed class LedgerWriter : IDisposable
{
    private readonly SqliteConnection connection;
    private readonly SqliteCommand insertAudit;

    private LedgerWriter(SqliteConnection connection)
    {
        this.connection = connection;
        insertAudit = Prepare(
            """
            INSERT INTO audit_events (time_ms, kind, namespace, api_key, key_id, scopes, reason, rotation, actor, message)
            VALUES ($time, $kind, $namespace, $apiKey, $keyId, $scopes, $reason, $rotation, $actor, $message);
            """,
            ("$time", SqliteType.Integer), ("$kind", SqliteType.Text), ("$namespace", SqliteType.Text), ("$apiKey", SqliteType.Text),
            ("$keyId", SqliteType.Text), ("$scopes", SqliteType.Text), ("$reason", SqliteType.Text), ("$rotation", SqliteType.Text),
            ("$actor", SqliteType.Text), ("$message", SqliteType.Text));
    }

    /// <param name="connectionString">An unpooled connection string: this connection lives as long as the writer.</param>
    public static async Task<LedgerWriter> OpenAsync(string connectionString, TimeSpan busyTimeout, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using (SqliteCommand pragmas = connection.CreateCommand())
            {
                // synchronous=NORMAL under WAL never corrupts the file; a power cut may lose the last commits,
                // which a record (not the source of truth) can afford. FULL would fsync on every audit write.
                pragmas.CommandText = string.Create(
                    CultureInfo.InvariantCulture,
                    $"PRAGMA busy_timeout = {(long)busyTimeout.TotalMilliseconds}; PRAGMA synchronous = NORMAL;");
                await pragmas.ExecuteNonQueryAsync(cancellationToken);
            }

            return new LedgerWriter(connection);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public Task<int> InsertAuditAsync(long timeMs, AuditEntry entry, CancellationToken cancellationToken)
    {
        SqliteParameterCollection p = insertAudit.Parameters;
        p["$time"].Value = timeMs;
        p["$kind"].Value = entry.Kind;
        p["$namespace"].Value = entry.Namespace;
        p["$apiKey"].Value = entry.ApiKey;
        p["$keyId"].Value = (object?)entry.KeyId ?? DBNull.Value;
        p["$scopes"].Value = JsonSerializer.Serialize(entry.Scopes);
        p["$reason"].Value = (object?)entry.Reason ?? DBNull.Value;
        p["$rotation"].Value = (object?)entry.Rotation ?? DBNull.Value;
        p["$actor"].Value = entry.Actor;
        p["$message"].Value = (object?)entry.Message ?? DBNull.Value;
        return insertAudit.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Deletes up to <paramref name="batchSize"/> audit rows older than the cutoff; returns how many.</summary>
    public async Task<int> PurgeAuditBatchAsync(long cutoffMs, int batchSize, CancellationToken cancellationToken)
    {
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "DELETE FROM audit_events WHERE id IN (SELECT id FROM audit_events WHERE time_ms < $cutoff LIMIT $batch);";
        command.Parameters.AddWithValue("$cutoff", cutoffMs);
        command.Parameters.AddWithValue("$batch", batchSize);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public void Dispose()
    {
        insertAudit.Dispose();
        connection.Dispose();
    }

    private SqliteCommand Prepare(string sql, params (string Name, SqliteType Type)[] parameters)
    {
        SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, type) in parameters)
        {
            command.Parameters.Add(name, type);
        }

        command.Prepare();
        return command;
    }
}
