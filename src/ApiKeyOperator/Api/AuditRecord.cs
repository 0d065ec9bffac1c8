using System.Text.Json.Serialization;

namespace ApiKeyOperator.Api;

/// <summary>
/// An audit row carried in status by the write that performed its action (a transactional outbox): recorded in
/// the audit trail after that write, re-sent after a crash or a ledger outage (the ledger keeps one row per
/// <see cref="IdempotencyKey"/>), and trimmed by a later status write once it is known to have landed.
/// Never holds key material: the key id identifies the key.
/// </summary>
public sealed class AuditRecord
{
    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "";

    [JsonPropertyName("keyId")]
    public string? KeyId { get; set; }

    [JsonPropertyName("actor")]
    public string Actor { get; set; } = "";

    [JsonPropertyName("reason")]
    public string? Reason { get; set; }

    [JsonPropertyName("rotation")]
    public string? Rotation { get; set; }

    [JsonPropertyName("message")]
    public string? Message { get; set; }

    [JsonPropertyName("time")]
    public DateTime? Time { get; set; }

    [JsonPropertyName("idempotencyKey")]
    public string IdempotencyKey { get; set; } = "";
}
