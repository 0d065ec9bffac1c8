using System.Collections.Concurrent;

namespace ApiKeyOperator.Verification.Tokens;

/// <summary>
/// Limits failed client authentications per client id with a token bucket: an attempt takes a token before the
/// secret is checked and a success gives it back, so concurrent attempts cannot overshoot. With the bucket empty
/// every request for that client id gets the same answer without any secret being checked, right or wrong: no CPU
/// is spent on the flood and the answer says nothing about the secret. Memory is bounded: at capacity, idle
/// (full) buckets are swept; when every tracked id is busy, a new id is checked untracked, which costs what any
/// request costs (one SHA-256) and lets no one lock out all clients by cycling ids.
/// </summary>
public sealed class ClientFailureLimiter(TimeProvider time, int burst, TimeSpan refill, int capacity)
{
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);

    public int Tracked => _buckets.Count;

    /// <summary>Takes one attempt for <paramref name="clientId"/>; false when none is left (then <paramref name="retryAfter"/> says when one is).</summary>
    public bool TryAcquire(string clientId, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        var now = time.GetUtcNow();
        if (!_buckets.TryGetValue(clientId, out var bucket))
        {
            if (_buckets.Count >= capacity)
            {
                Sweep(now);
                if (_buckets.Count >= capacity)
                {
                    return true;
                }
            }

            bucket = _buckets.GetOrAdd(clientId, _ => new Bucket(burst, now));
        }

        lock (bucket)
        {
            bucket.Refill(now, burst, refill);
            if (bucket.Tokens >= 1)
            {
                bucket.Tokens -= 1;
                return true;
            }

            retryAfter = refill * (1 - bucket.Tokens);
            return false;
        }
    }

    /// <summary>The attempt taken by <see cref="TryAcquire"/> authenticated: it does not count.</summary>
    public void Refund(string clientId)
    {
        if (_buckets.TryGetValue(clientId, out var bucket))
        {
            lock (bucket)
            {
                bucket.Tokens = Math.Min(burst, bucket.Tokens + 1);
            }
        }
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (id, bucket) in _buckets)
        {
            lock (bucket)
            {
                bucket.Refill(now, burst, refill);
                if (bucket.Tokens >= burst)
                {
                    _buckets.TryRemove(id, out _);
                }
            }
        }
    }

    private sealed class Bucket(double tokens, DateTimeOffset updated)
    {
        public double Tokens { get; set; } = tokens;

        private DateTimeOffset Updated { get; set; } = updated;

        public void Refill(DateTimeOffset now, int burst, TimeSpan refill)
        {
            if (now > Updated)
            {
                Tokens = Math.Min(burst, Tokens + ((now - Updated) / refill));
                Updated = now;
            }
        }
    }
}
