namespace ApiKeyOperator.Runtime;

/// <summary>
/// Decides how long a failed item waits before its next attempt, as client-go's workqueue
/// <c>TypedRateLimiter</c>: <see cref="When"/> records an attempt, <see cref="Forget"/> ends the item's history.
/// </summary>
public interface IRateLimiter<in TKey> where TKey : notnull
{
    TimeSpan When(TKey key);

    int NumRequeues(TKey key);

    void Forget(TKey key);
}
