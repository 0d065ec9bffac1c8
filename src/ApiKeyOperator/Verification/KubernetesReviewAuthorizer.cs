using ApiKeyOperator.Security;

namespace ApiKeyOperator.Verification;

/// <summary>
/// <see cref="IReviewAuthorizer"/> on the operator's shared request checks (TokenReview with the review
/// audiences, SubjectAccessReview; cached and budgeted by <see cref="CachingRequestAuthorizer"/>): a caller may
/// review keys of a namespace when it may <c>create</c> <c>apikeyreviews.apikeyoperator.io</c> there.
/// </summary>
public sealed class KubernetesReviewAuthorizer(IRequestAuthorizer requests) : IReviewAuthorizer
{
    public Task<CallerIdentity?> AuthenticateAsync(string bearerToken, CancellationToken cancellationToken) =>
        requests.AuthenticateAsync(bearerToken, cancellationToken);

    public Task<bool> IsAllowedAsync(CallerIdentity caller, string namespaceName, CancellationToken cancellationToken) =>
        requests.IsAllowedAsync(
            caller, AccessRequest.OnResource("create", ApiKeyReview.GroupName, ApiKeyReview.ResourcePlural, namespaceName), cancellationToken);
}
