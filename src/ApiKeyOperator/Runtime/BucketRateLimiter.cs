namespace ApiKeyOperator.Runtime;

/// <summary>An overall limit shared by every item (client-go's <c>BucketRateLimiter</c>); it keeps no per-item history.</summary>
public sealed class BucketRateLimiter<TKey> : IRateLimiter<TKey> where TKey : notnull
{
    private readonly TokenBucket _bucket;

    public BucketRateLimiter(TokenBucket bucket)
    {
        _bucket = bucket;
    }

    public TimeSpan When(TKey key) => _bucket.Reserve();

    public int NumRequeues(TKey key) => 0;

    public void Forget(TKey key)
    {
    }
}
