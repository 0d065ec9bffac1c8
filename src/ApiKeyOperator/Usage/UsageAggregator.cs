using ApiKeyOperator.Verification;

namespace ApiKeyOperator.Usage;

/// <summary>
/// Collects verified uses in memory on the replica that served them: the latest use per key, nothing per
/// request beyond a dictionary update. <see cref="UsageFlusher"/> turns it into status writes in batches.
/// Thread-safe: reviews call <see cref="Record"/> concurrently.
/// </summary>
public sealed class UsageAggregator : IKeyUsageSink
{
    private readonly Lock _gate = new();
    private readonly Dictionary<UsageKey, DateTime> _pending = [];
    private TaskCompletionSource _added = NewSignal();

    /// <summary>Completes when a key that had nothing pending gets a use (the flush loop's wake-up for first uses).</summary>
    public Task Added
    {
        get
        {
            lock (_gate)
            {
                return _added.Task;
            }
        }
    }

    public int PendingCount
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    public void Record(string namespaceName, string apiKeyName, string keyId, DateTime at)
    {
        var key = new UsageKey(namespaceName, apiKeyName, keyId);
        var utc = at.Kind == DateTimeKind.Utc ? at : DateTime.SpecifyKind(at, DateTimeKind.Utc);
        TaskCompletionSource? signal = null;
        lock (_gate)
        {
            if (!_pending.TryGetValue(key, out var known))
            {
                _pending[key] = utc;
                signal = _added;
                _added = NewSignal();
            }
            else if (utc > known)
            {
                _pending[key] = utc;
            }
        }

        signal?.TrySetResult();
    }

    /// <summary>Everything pending, latest use per key.</summary>
    public IReadOnlyDictionary<UsageKey, DateTime> Snapshot()
    {
        lock (_gate)
        {
            return new Dictionary<UsageKey, DateTime>(_pending);
        }
    }

    /// <summary>Forgets uses up to <paramref name="upTo"/> of one key (written or moot); a later use stays pending.</summary>
    public void Settle(UsageKey key, DateTime upTo)
    {
        lock (_gate)
        {
            if (_pending.TryGetValue(key, out var at) && at <= upTo)
            {
                _pending.Remove(key);
            }
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
