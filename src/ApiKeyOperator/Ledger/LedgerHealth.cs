namespace ApiKeyOperator.Ledger;

/// <summary>
/// Thread-safe health of the audit ledger, for /readyz detail and logs. Two independent causes make it
/// Degraded: a recovery (a damaged file was moved aside — sticky, because records were lost) and a failing
/// write (cleared by the next successful write).
/// </summary>
public sealed class LedgerHealth
{
    private readonly Lock gate = new();
    private string? recoveryNotice;
    private string? writeFailure;

    public LedgerHealthSnapshot Current
    {
        get
        {
            lock (gate)
            {
                string? message = (recoveryNotice, writeFailure) switch
                {
                    (null, null) => null,
                    (not null, null) => recoveryNotice,
                    (null, not null) => writeFailure,
                    _ => $"{writeFailure}; earlier: {recoveryNotice}",
                };
                return new LedgerHealthSnapshot(
                    message is null ? LedgerHealthStatus.Healthy : LedgerHealthStatus.Degraded,
                    message);
            }
        }
    }

    /// <summary>Records that a damaged ledger was replaced; stays Degraded for the life of the process.</summary>
    public void MarkRecovered(string notice)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(notice);
        lock (gate)
        {
            recoveryNotice = notice;
        }
    }

    /// <summary>Records a failed ledger operation. Returns true when the message is new, so callers log it once.</summary>
    public bool MarkWriteFailed(string message)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        lock (gate)
        {
            bool changed = !string.Equals(writeFailure, message, StringComparison.Ordinal);
            writeFailure = message;
            return changed;
        }
    }

    /// <summary>Clears a write failure. Returns true when there was one, so callers can log the recovery.</summary>
    public bool MarkWriteSucceeded()
    {
        lock (gate)
        {
            bool hadFailure = writeFailure is not null;
            writeFailure = null;
            return hadFailure;
        }
    }
}
