namespace ApiKeyOperator.Security;

/// <summary>
/// Who is calling (TokenReview) and may they do this (SubjectAccessReview): the checks in front of every endpoint
/// the operator serves to other workloads and people (ApiKeyReview, /metrics, /audit). Behind an interface so
/// that tests can fake the API server.
/// </summary>
public interface IRequestAuthorizer
{
    /// <summary>The caller's identity, or null when the API server does not authenticate the token.</summary>
    /// <exception cref="TokenReviewThrottledException">Too many unknown tokens: this one was not sent to the API server.</exception>
    Task<CallerIdentity?> AuthenticateAsync(string bearerToken, CancellationToken cancellationToken);

    /// <summary>Whether <paramref name="caller"/> may make <paramref name="request"/>.</summary>
    Task<bool> IsAllowedAsync(CallerIdentity caller, AccessRequest request, CancellationToken cancellationToken);
}
