namespace ApiKeyOperator.Runtime;

/// <summary>
/// client-go's <c>DefaultControllerRateLimiter</c>: per-item exponential backoff (5 ms doubling up to 1000 s) and an
/// overall token bucket (10 qps, burst 100), the longer of the two. The bucket is what keeps a burst of failing
/// objects from turning into a burst of API calls: after 100 retries they are spaced 100 ms apart.
/// </summary>
public static class DefaultControllerRateLimiter
{
    public const double Qps = 10;
    public const int Burst = 100;
    public static readonly TimeSpan BaseDelay = TimeSpan.FromMilliseconds(5);
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(1000);

    public static IRateLimiter<TKey> Create<TKey>(TimeProvider time) where TKey : notnull =>
        new MaxOfRateLimiter<TKey>(
            new ItemExponentialBackoff<TKey>(BaseDelay, MaxDelay),
            new BucketRateLimiter<TKey>(new TokenBucket(Qps, Burst, time)));
}
