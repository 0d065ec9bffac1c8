using ApiKeyOperator.Security;

namespace ApiKeyOperator.Verification;

/// <summary>
/// Caller checks of the review endpoint in <c>--review-auth=kubernetes</c> mode: who is calling (TokenReview)
/// and may they review keys of a namespace (SubjectAccessReview). Behind an interface so tests can fake the
/// API server.
/// </summary>
public interface IReviewAuthorizer
{
    /// <summary>The caller's identity, or null when the API server does not authenticate the token.</summary>
    /// <exception cref="TokenReviewThrottledException">Too many unknown tokens: this one was not reviewed (answer 429).</exception>
    Task<CallerIdentity?> AuthenticateAsync(string bearerToken, CancellationToken cancellationToken);

    /// <summary>
    /// Whether <paramref name="caller"/> may <c>create</c> <c>apikeyreviews.apikeyoperator.io</c> in
    /// <paramref name="namespaceName"/>.
    /// </summary>
    Task<bool> IsAllowedAsync(CallerIdentity caller, string namespaceName, CancellationToken cancellationToken);
}
