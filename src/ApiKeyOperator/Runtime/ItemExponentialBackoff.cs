using System.Collections.Concurrent;

namespace ApiKeyOperator.Runtime;

/// <summary>
/// Per-item exponential backoff like client-go's ItemExponentialFailureRateLimiter: the n-th failure of an
/// item waits <c>baseDelay * 2^n</c>, capped at <c>maxDelay</c>, until <see cref="Forget"/>.
/// </summary>
public sealed class ItemExponentialBackoff<TKey> : IRateLimiter<TKey> where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, int> _failures = new();
    private readonly TimeSpan _baseDelay;
    private readonly TimeSpan _maxDelay;

    public ItemExponentialBackoff(TimeSpan baseDelay, TimeSpan maxDelay)
    {
        _baseDelay = baseDelay;
        _maxDelay = maxDelay;
    }

    /// <summary>Records a failure and returns how long the item waits before its next attempt.</summary>
    public TimeSpan When(TKey key)
    {
        var exponent = _failures.AddOrUpdate(key, 0, (_, n) => n + 1);
        var delay = _baseDelay.TotalMilliseconds * Math.Pow(2, exponent);
        return delay >= _maxDelay.TotalMilliseconds ? _maxDelay : TimeSpan.FromMilliseconds(delay);
    }

    public int NumRequeues(TKey key) => _failures.TryGetValue(key, out var n) ? n + 1 : 0;

    public void Forget(TKey key) => _failures.TryRemove(key, out _);
}
