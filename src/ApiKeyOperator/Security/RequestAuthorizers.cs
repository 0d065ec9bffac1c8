using k8s;

namespace ApiKeyOperator.Security;

/// <summary>
/// Builds the request checks of each endpoint: TokenReview for the endpoint's audiences, SubjectAccessReview,
/// cached, all drawing on the process's one <see cref="TokenReviewBudget"/>.
/// </summary>
public sealed class RequestAuthorizers(IKubernetes client, TimeProvider time, TokenReviewBudget budget, AuthCacheOptions cache)
{
    public IRequestAuthorizer For(IReadOnlyList<string> audiences) =>
        new CachingRequestAuthorizer(new KubernetesRequestAuthorizer(client, audiences), time, budget, cache);
}
