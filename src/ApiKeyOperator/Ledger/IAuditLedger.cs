namespace ApiKeyOperator.Ledger;

/// <summary>
/// The audit trail, on SQLite or PostgreSQL. (Key usage is not kept here: it lives in ApiKey <c>status.usage</c>.) The
/// ledger is a record, not the source of truth: writes never fail their caller (they return false after logging and
/// marking <see cref="LedgerHealth"/> Degraded). Arguments are validated before any I/O and an invalid one throws
/// <see cref="ArgumentException"/> naming the field, because that is a bug to fix. An audit field that looks like key
/// material does not cost the row: it is stored as a redaction marker and counted in
/// <c>apikey_audit_redactions_total{field}</c>.
/// Reads and maintenance throw on failure; they serve humans and background work, not reconciles.
/// </summary>
public interface IAuditLedger
{
    /// <summary>Opens (creating, migrating or recovering) the store. Idempotent; other members call it on first use.</summary>
    /// <exception cref="LedgerSchemaException">The store was written by a newer operator, or is not a ledger.</exception>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Appends one row unless a row with the same <see cref="AuditEntry.IdempotencyKey"/> is already stored; assigns
    /// <see cref="AuditEntry.Id"/> and, when the entry has none, stamps <see cref="AuditEntry.Time"/>.
    /// </summary>
    /// <returns>True when the row is stored (now, or before under its key); false when the write failed (logged, health Degraded).</returns>
    Task<bool> TryRecordAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>
    /// Appends several rows, in one transaction where the store allows it (a high-rate writer such as token
    /// issuance then costs one commit per batch, not per row). Validates every entry before any I/O. The default
    /// records them one by one.
    /// </summary>
    /// <returns>How many rows were recorded (all or, after a failed write, none of a batch).</returns>
    async Task<int> TryRecordManyAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var recorded = 0;
        foreach (var entry in entries)
        {
            recorded += await TryRecordAsync(entry, cancellationToken).ConfigureAwait(false) ? 1 : 0;
        }

        return recorded;
    }

    /// <summary>Newest first, keyset-paged.</summary>
    Task<AuditPage> QueryAsync(AuditQuery query, CancellationToken cancellationToken);

    /// <summary>Every namespace that has audit rows, sorted (to authorise a caller per namespace).</summary>
    Task<IReadOnlyList<string>> ListNamespacesAsync(CancellationToken cancellationToken);

    /// <summary>Deletes audit rows older than the retention. Returns the audit rows deleted.</summary>
    Task<int> PurgeAsync(CancellationToken cancellationToken);
}
