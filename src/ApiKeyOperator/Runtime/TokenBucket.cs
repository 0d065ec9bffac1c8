namespace ApiKeyOperator.Runtime;

/// <summary>
/// A token bucket with reservations, like Go's <c>rate.Limiter</c>: it holds up to <c>burst</c> tokens refilled at
/// <c>qps</c> per second; <see cref="Reserve"/> always takes a token and returns how long the caller must wait for
/// it (the balance goes negative, so waiters queue up in order instead of all retrying at once).
/// </summary>
public sealed class TokenBucket
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private double _tokens;
    private long _last;

    public TokenBucket(double qps, int burst, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(qps);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(burst);
        Qps = qps;
        Burst = burst;
        _time = time;
        _tokens = burst;
        _last = time.GetTimestamp();
    }

    public double Qps { get; }

    public int Burst { get; }

    /// <summary>Takes one token; returns zero if one was there, otherwise the wait until it will have been.</summary>
    public TimeSpan Reserve()
    {
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            var elapsed = _time.GetElapsedTime(_last, now).TotalSeconds;
            _last = now;
            _tokens = Math.Min(Burst, _tokens + (elapsed * Qps)) - 1;
            return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / Qps);
        }
    }

    /// <summary>Waits for a token on the injected clock.</summary>
    public Task WaitAsync(CancellationToken cancellationToken)
    {
        var delay = Reserve();
        return delay <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(delay, _time, cancellationToken);
    }
}
