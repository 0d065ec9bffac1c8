using System.Security.Cryptography;
using System.Text;

namespace ApiKeyOperator.Verification;

/// <summary>
/// Remembers TokenReview and SubjectAccessReview answers (allow and deny alike) for a short time, so a busy
/// provider costs the API server two calls per TTL rather than two per verification. Keyed by SHA-256 of the
/// token and of the caller identity: the token itself is never held.
/// </summary>
internal sealed class CachingReviewAuthorizer(IReviewAuthorizer inner, TimeProvider time, TimeSpan timeToLive, int capacity)
    : IReviewAuthorizer
{
    private readonly ExpiringCache<CallerIdentity?> _callers = new(time, timeToLive, capacity);
    private readonly ExpiringCache<bool> _decisions = new(time, timeToLive, capacity);

    public async Task<CallerIdentity?> AuthenticateAsync(string bearerToken, CancellationToken cancellationToken)
    {
        var key = Fingerprint(bearerToken);
        if (_callers.TryGet(key, out var cached))
        {
            return cached;
        }

        var caller = await inner.AuthenticateAsync(bearerToken, cancellationToken).ConfigureAwait(false);
        _callers.Set(key, caller);
        return caller;
    }

    public async Task<bool> IsAllowedAsync(CallerIdentity caller, string namespaceName, CancellationToken cancellationToken)
    {
        var key = Fingerprint(caller.CanonicalForm() + "\n" + namespaceName);
        if (_decisions.TryGet(key, out var cached))
        {
            return cached;
        }

        var allowed = await inner.IsAllowedAsync(caller, namespaceName, cancellationToken).ConfigureAwait(false);
        _decisions.Set(key, allowed);
        return allowed;
    }

    private static string Fingerprint(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
