using System.Data;
using System.Data.Common;
using System.Text.Json;

namespace ApiKeyOperator.Ledger;

/// <summary>The ledger's writes, one SQL text for both stores.</summary>
internal static class LedgerSql
{
    /// <summary>
    /// Insert-or-ignore on the idempotency key: a re-sent row is not an error and not a second row. Returns the new
    /// row's id, or null when a row with this key was already there.
    /// </summary>
    public static async Task<long?> InsertAsync(DbConnection connection, DbTransaction transaction, long timeMs, AuditEntry entry, CancellationToken cancellationToken)
    {
        await using DbCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO audit_events (time_ms, kind, namespace, api_key, key_id, scopes, reason, rotation, actor, message, idempotency_key)
            VALUES (@time, @kind, @namespace, @apiKey, @keyId, @scopes, @reason, @rotation, @actor, @message, @idempotencyKey)
            ON CONFLICT DO NOTHING
            RETURNING id;
            """;
        Add(command, "@time", DbType.Int64, timeMs);
        Add(command, "@kind", DbType.String, entry.Kind);
        Add(command, "@namespace", DbType.String, entry.Namespace);
        Add(command, "@apiKey", DbType.String, entry.ApiKey);
        Add(command, "@keyId", DbType.String, entry.KeyId);
        Add(command, "@scopes", DbType.String, JsonSerializer.Serialize(entry.Scopes));
        Add(command, "@reason", DbType.String, entry.Reason);
        Add(command, "@rotation", DbType.String, entry.Rotation);
        Add(command, "@actor", DbType.String, entry.Actor);
        Add(command, "@message", DbType.String, entry.Message);
        Add(command, "@idempotencyKey", DbType.String, entry.IdempotencyKey);
        object? id = await command.ExecuteScalarAsync(cancellationToken);
        return id is null or DBNull ? null : Convert.ToInt64(id, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Deletes up to <paramref name="batchSize"/> rows older than the cutoff; returns how many.</summary>
    public static async Task<int> PurgeBatchAsync(DbConnection connection, long cutoffMs, int batchSize, CancellationToken cancellationToken)
    {
        await using DbCommand command = connection.CreateCommand();
        command.CommandText = "DELETE FROM audit_events WHERE id IN (SELECT id FROM audit_events WHERE time_ms < @cutoff ORDER BY id LIMIT @batch);";
        Add(command, "@cutoff", DbType.Int64, cutoffMs);
        Add(command, "@batch", DbType.Int32, batchSize);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Adds a typed parameter (typed, so a null is a typed NULL on PostgreSQL too).</summary>
    public static void Add(DbCommand command, string name, DbType type, object? value)
    {
        DbParameter parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = type;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }
}
