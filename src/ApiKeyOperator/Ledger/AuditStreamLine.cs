using System.Globalization;
using System.Text.Json.Nodes;

namespace ApiKeyOperator.Ledger;

/// <summary>
/// One audit row as one JSON line: the table's columns under the names of the <c>/audit</c> API, plus
/// <c>auditSchema</c> so a log collector can tell audit lines from the operator's JSON logs on the same stdout.
/// Every field is always present (null when empty), so a SIEM sees one fixed schema. There is no field for key
/// material: the ledger refuses to store it in the first place.
/// </summary>
public static class AuditStreamLine
{
    public const string Schema = "apikeyoperator.io/audit/v1";

    public static string Format(AuditEntry row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var line = new JsonObject
        {
            ["auditSchema"] = Schema,
            ["id"] = row.Id,
            ["time"] = DateTime.SpecifyKind(row.Time, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["kind"] = row.Kind,
            ["namespace"] = row.Namespace,
            ["apiKey"] = row.ApiKey,
            ["keyId"] = row.KeyId,
            ["scopes"] = new JsonArray([.. row.Scopes.Select(s => JsonValue.Create(s))]),
            ["reason"] = row.Reason,
            ["rotation"] = row.Rotation,
            ["actor"] = row.Actor,
            ["message"] = row.Message,
            ["idempotencyKey"] = row.IdempotencyKey,
        };
        return line.ToJsonString();
    }
}
