namespace ApiKeyOperator.Ledger;

/// <summary>
/// Where every new audit row is also written as it is stored (<c>--audit-log</c>). The ledger calls it inside the
/// row's transaction, before the commit: a row whose line could not be written is not stored either, and is sent
/// again, so the stream misses no row (a crash between the line and the commit repeats a line, with the same
/// idempotency key).
/// </summary>
public interface IAuditStream
{
    Task WriteAsync(AuditEntry row, CancellationToken cancellationToken);
}
