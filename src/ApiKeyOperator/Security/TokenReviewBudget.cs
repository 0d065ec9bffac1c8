namespace ApiKeyOperator.Security;

/// <summary>
/// A token bucket bounding the TokenReviews one process sends for tokens it has not seen (cache misses): at most
/// <c>burst</c> at once and <c>ratePerSecond</c> after that, shared by every endpoint, so that a flood of bogus
/// tokens costs the API server a bounded load instead of one review each.
/// </summary>
public sealed class TokenReviewBudget
{
    private readonly TimeProvider _time;
    private readonly double _ratePerSecond;
    private readonly double _burst;
    private readonly Lock _lock = new();
    private double _tokens;
    private long _refilledAt;

    public TokenReviewBudget(TimeProvider time, double ratePerSecond, int burst)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ratePerSecond);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(burst);
        _time = time;
        _ratePerSecond = ratePerSecond;
        _burst = burst;
        _tokens = burst;
        _refilledAt = time.GetTimestamp();
    }

    /// <summary>Takes one review from the budget; false (with how long until one is free) when it is spent.</summary>
    public bool TryTake(out TimeSpan retryAfter)
    {
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            _tokens = Math.Min(_burst, _tokens + (_time.GetElapsedTime(_refilledAt, now).TotalSeconds * _ratePerSecond));
            _refilledAt = now;
            if (_tokens >= 1)
            {
                _tokens -= 1;
                retryAfter = TimeSpan.Zero;
                return true;
            }

            retryAfter = TimeSpan.FromSeconds((1 - _tokens) / _ratePerSecond);
            return false;
        }
    }
}
