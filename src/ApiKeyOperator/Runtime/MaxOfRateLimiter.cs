namespace ApiKeyOperator.Runtime;

/// <summary>Asks every limiter and waits the longest answer (client-go's <c>MaxOfRateLimiter</c>).</summary>
public sealed class MaxOfRateLimiter<TKey> : IRateLimiter<TKey> where TKey : notnull
{
    private readonly IReadOnlyList<IRateLimiter<TKey>> _limiters;

    public MaxOfRateLimiter(params IRateLimiter<TKey>[] limiters)
    {
        ArgumentOutOfRangeException.ThrowIfZero(limiters.Length);
        _limiters = limiters;
    }

    // Every limiter is asked (not just until the longest): each must record the attempt.
    public TimeSpan When(TKey key) => _limiters.Select(l => l.When(key)).Max();

    public int NumRequeues(TKey key) => _limiters.Max(l => l.NumRequeues(key));

    public void Forget(TKey key)
    {
        foreach (var limiter in _limiters)
        {
            limiter.Forget(key);
        }
    }
}
