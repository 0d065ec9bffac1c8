using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace ApiKeyOperator.Security;

/// <summary>
/// Remembers TokenReview and SubjectAccessReview answers, allow and deny alike, and asks the API server at most
/// once at a time per question (concurrent requests with one token share one review). Reviews of tokens not in
/// the cache draw on a <see cref="TokenReviewBudget"/> shared by the process: past it a token is refused with
/// <see cref="TokenReviewThrottledException"/> without a review. Keyed by SHA-256 of the token and of the caller
/// identity: the token itself is never held.
/// </summary>
public sealed class CachingRequestAuthorizer(IRequestAuthorizer inner, TimeProvider time, TokenReviewBudget budget, AuthCacheOptions options)
    : IRequestAuthorizer
{
    private readonly ExpiringCache<CallerIdentity?> _callers = new(time, options.Capacity);
    private readonly ExpiringCache<bool> _decisions = new(time, options.Capacity);
    private readonly ConcurrentDictionary<string, Lazy<Task<CallerIdentity?>>> _reviewing = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<bool>>> _deciding = new(StringComparer.Ordinal);

    public async Task<CallerIdentity?> AuthenticateAsync(string bearerToken, CancellationToken cancellationToken)
    {
        var key = Fingerprint(bearerToken);
        if (_callers.TryGet(key, out var cached))
        {
            return cached;
        }

        var review = _reviewing.GetOrAdd(key, k => new Lazy<Task<CallerIdentity?>>(() => ReviewAsync(k, bearerToken)));
        return await review.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> IsAllowedAsync(CallerIdentity caller, AccessRequest request, CancellationToken cancellationToken)
    {
        var key = Fingerprint(caller.CanonicalForm() + "\n\n" + request.CanonicalForm());
        if (_decisions.TryGet(key, out var cached))
        {
            return cached;
        }

        var decision = _deciding.GetOrAdd(key, k => new Lazy<Task<bool>>(() => DecideAsync(k, caller, request)));
        return await decision.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    // Not the caller's token: callers that joined this review must not lose it because the first one left.
    private async Task<CallerIdentity?> ReviewAsync(string key, string bearerToken)
    {
        try
        {
            if (!budget.TryTake(out var retryAfter))
            {
                throw new TokenReviewThrottledException(retryAfter);
            }

            var caller = await inner.AuthenticateAsync(bearerToken, CancellationToken.None).ConfigureAwait(false);
            _callers.Set(key, caller, caller is null ? options.DenyTtl : options.AllowTtl);
            return caller;
        }
        finally
        {
            _reviewing.TryRemove(key, out _);
        }
    }

    private async Task<bool> DecideAsync(string key, CallerIdentity caller, AccessRequest request)
    {
        try
        {
            var allowed = await inner.IsAllowedAsync(caller, request, CancellationToken.None).ConfigureAwait(false);
            _decisions.Set(key, allowed, allowed ? options.AllowTtl : options.DenyTtl);
            return allowed;
        }
        finally
        {
            _deciding.TryRemove(key, out _);
        }
    }

    private static string Fingerprint(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
