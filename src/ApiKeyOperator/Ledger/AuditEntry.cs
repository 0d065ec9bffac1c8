namespace ApiKeyOperator.Ledger;

/// <summary>
/// One audit row. There is deliberately no field for key material: the key id (public) identifies the key.
/// <see cref="Id"/> is assigned by the ledger when the entry is recorded (a value a caller sets is ignored).
/// <see cref="Time"/> is when the fact happened: a caller that re-sends a row after an outage sets it to the time
/// of the action; left at its default, the ledger stamps the time of the write.
/// </summary>
public sealed record AuditEntry
{
    public long Id { get; init; }

    /// <summary>UTC: the caller's (when the action happened) or, when default, the ledger's clock at the write.</summary>
    public DateTime Time { get; init; }

    /// <summary>One of <see cref="AuditEventKinds"/> (or a later CamelCase kind).</summary>
    public required string Kind { get; init; }

    public required string Namespace { get; init; }

    public required string ApiKey { get; init; }

    public string? KeyId { get; init; }

    public IReadOnlyList<string> Scopes { get; init; } = [];

    public string? Reason { get; init; }

    /// <summary>The ApiKeyRotation involved, if any.</summary>
    public string? Rotation { get; init; }

    /// <summary>The field manager that caused the change, or <see cref="AuditActors.Operator"/>.</summary>
    public required string Actor { get; init; }

    public string? Message { get; init; }

    /// <summary>
    /// Deterministic identity of the fact this row records (e.g. kind, ApiKey uid and key id). The ledger keeps at
    /// most one row per key, so a row re-sent after a crash or an outage lands exactly once. Null: never deduplicated.
    /// </summary>
    public string? IdempotencyKey { get; init; }
}
