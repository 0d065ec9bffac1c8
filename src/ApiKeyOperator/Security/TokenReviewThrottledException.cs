namespace ApiKeyOperator.Security;

/// <summary>
/// A bearer token was not reviewed because the TokenReview budget is spent (a flood of unknown tokens). Callers
/// answer 429 with <see cref="RetryAfter"/>; tokens already known keep working from the cache.
/// </summary>
public sealed class TokenReviewThrottledException(TimeSpan retryAfter)
    : Exception($"too many unknown bearer tokens; retry in {Math.Ceiling(retryAfter.TotalSeconds)}s")
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
