namespace ApiKeyOperator.Ledger;

/// <summary>
/// The audit trail, on SQLite or PostgreSQL. (Key usage is not kept here: it lives in ApiKey <c>status.usage</c>.) The
/// ledger is a record, not the source of truth: writes never fail their caller (they return false after logging and marking <see cref="LedgerHealth"/> Degraded).
/// Arguments are validated before any I/O and an invalid one — including anything that looks like key
/// material — throws <see cref="ArgumentException"/> naming the field, because that is a bug to fix.
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

    /// <summary>Newest first, keyset-paged.</summary>
    Task<AuditPage> QueryAsync(AuditQuery query, CancellationToken cancellationToken);

    /// <summary>Deletes audit rows older than the retention. Returns the audit rows deleted.</summary>
    Task<int> PurgeAsync(CancellationToken cancellationToken);
}
