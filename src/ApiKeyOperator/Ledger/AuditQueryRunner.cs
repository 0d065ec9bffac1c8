using System.Data;
using System.Data.Common;
using System.Text;
using System.Text.Json;

namespace ApiKeyOperator.Ledger;

/// <summary>Runs an <see cref="AuditQuery"/> on an open connection of either store; shared by the ledgers and the CLI reader.</summary>
internal static class AuditQueryRunner
{
    private const int IdempotencyKeyVersion = 4;

    /// <summary>Every namespace that has audit rows, sorted.</summary>
    public static async Task<IReadOnlyList<string>> NamespacesAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using DbCommand command = connection.CreateCommand();
        command.CommandText = "SELECT DISTINCT namespace FROM audit_events ORDER BY namespace;";
        var namespaces = new List<string>();
        await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            namespaces.Add(reader.GetString(0));
        }

        return namespaces;
    }

    /// <param name="schemaVersion">The database's schema version: the CLI reads older files without migrating them.</param>
    /// <exception cref="ArgumentException">An invalid limit or continue token (ParamName "limit"/"continue").</exception>
    public static async Task<AuditPage> QueryAsync(DbConnection connection, AuditQuery query, CancellationToken cancellationToken, int schemaVersion = -1)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Limit is < 1 or > AuditQuery.MaxLimit)
        {
            throw new ArgumentException($"The limit must be between 1 and {AuditQuery.MaxLimit}.", "limit");
        }

        AuditContinueToken? after = query.Continue is null ? null : AuditContinueToken.Decode(query.Continue);

        await using DbCommand command = connection.CreateCommand();
        // Files older than the idempotency key (schema 4) have no such column.
        string idempotencyKey = schemaVersion is -1 or >= IdempotencyKeyVersion ? "idempotency_key" : "NULL";
        var sql = new StringBuilder(
            $"SELECT id, time_ms, kind, namespace, api_key, key_id, scopes, reason, rotation, actor, message, {idempotencyKey} FROM audit_events WHERE 1 = 1");
        if (query.Namespace is not null)
        {
            sql.Append(" AND namespace = @namespace");
            LedgerSql.Add(command, "@namespace", DbType.String, query.Namespace);
        }

        if (query.Namespaces is { } namespaces)
        {
            sql.Append(namespaces.Count == 0 ? " AND 0 = 1" : " AND namespace IN (" + string.Join(", ", namespaces.Select((_, i) => "@ns" + i)) + ")");
            for (int i = 0; i < namespaces.Count; i++)
            {
                LedgerSql.Add(command, "@ns" + i, DbType.String, namespaces[i]);
            }
        }

        if (query.ApiKey is not null)
        {
            sql.Append(" AND api_key = @apiKey");
            LedgerSql.Add(command, "@apiKey", DbType.String, query.ApiKey);
        }

        if (query.Since is { } since)
        {
            sql.Append(" AND time_ms >= @since");
            LedgerSql.Add(command, "@since", DbType.Int64, LedgerTime.ToUnixMs(since));
        }

        if (after is { } cursor)
        {
            sql.Append(" AND (time_ms < @afterTime OR (time_ms = @afterTime AND id < @afterId))");
            LedgerSql.Add(command, "@afterTime", DbType.Int64, cursor.TimeMs);
            LedgerSql.Add(command, "@afterId", DbType.Int64, cursor.Id);
        }

        // One extra row tells whether another page exists without a COUNT.
        sql.Append(" ORDER BY time_ms DESC, id DESC LIMIT @take;");
        LedgerSql.Add(command, "@take", DbType.Int32, query.Limit + 1);
        command.CommandText = sql.ToString();

        var items = new List<AuditEntry>(Math.Min(query.Limit + 1, 128));
        long lastTimeMs = 0;
        await using (DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (items.Count < query.Limit && await reader.ReadAsync(cancellationToken))
            {
                lastTimeMs = reader.GetInt64(1);
                items.Add(new AuditEntry
                {
                    Id = reader.GetInt64(0),
                    Time = LedgerTime.FromUnixMs(lastTimeMs),
                    Kind = reader.GetString(2),
                    Namespace = reader.GetString(3),
                    ApiKey = reader.GetString(4),
                    KeyId = reader.IsDBNull(5) ? null : reader.GetString(5),
                    Scopes = JsonSerializer.Deserialize<string[]>(reader.GetString(6)) ?? [],
                    Reason = reader.IsDBNull(7) ? null : reader.GetString(7),
                    Rotation = reader.IsDBNull(8) ? null : reader.GetString(8),
                    Actor = reader.GetString(9),
                    Message = reader.IsDBNull(10) ? null : reader.GetString(10),
                    IdempotencyKey = reader.IsDBNull(11) ? null : reader.GetString(11),
                });
            }

            bool more = items.Count == query.Limit && await reader.ReadAsync(cancellationToken);
            string? next = more ? new AuditContinueToken(lastTimeMs, items[^1].Id).Encode() : null;
            return new AuditPage(items, next);
        }
    }
}
