using System.Collections.Concurrent;

namespace ApiKeyOperator.Ledger;

/// <summary>
/// The rows that failed to reach the ledger and wait for a re-send, known by idempotency key from the failure
/// until the row lands. Feeds <c>apikey_audit_rows_pending</c> and the ledger's /readyz line.
/// </summary>
public sealed class AuditBacklog(AuditMetrics metrics)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _waiting = new(StringComparer.Ordinal);

    public int Count => _waiting.Count;

    /// <summary>When the longest-waiting row first failed; null when none waits.</summary>
    public DateTimeOffset? OldestSince => _waiting.IsEmpty ? null : _waiting.Values.Min();

    public void Failed(string idempotencyKey, DateTimeOffset at)
    {
        _waiting.TryAdd(idempotencyKey, at);
        metrics.SetPending(_waiting.Count);
    }

    public void Landed(string idempotencyKey)
    {
        if (_waiting.TryRemove(idempotencyKey, out _))
        {
            metrics.SetPending(_waiting.Count);
        }
    }

    /// <summary>Forgets every waiting row: this replica no longer leads, and the new leader re-sends them.</summary>
    public void Clear()
    {
        _waiting.Clear();
        metrics.SetPending(0);
    }
}
