using k8s;
using k8s.Models;

namespace ApiKeyOperator.Verification;

/// <summary><see cref="IReviewAuthorizer"/> asking the API server: authentication.k8s.io/v1 TokenReview and
/// authorization.k8s.io/v1 SubjectAccessReview. The operator's ServiceAccount needs <c>create</c> on both.</summary>
public sealed class KubernetesReviewAuthorizer(IKubernetes client) : IReviewAuthorizer
{
    public async Task<CallerIdentity?> AuthenticateAsync(string bearerToken, CancellationToken cancellationToken)
    {
        var review = await client.AuthenticationV1.CreateTokenReviewAsync(
            new V1TokenReview { Spec = new V1TokenReviewSpec { Token = bearerToken } },
            cancellationToken: cancellationToken).ConfigureAwait(false);

        // The response echoes spec.token; only the user info is kept.
        var user = review.Status?.User;
        if (review.Status?.Authenticated != true || string.IsNullOrEmpty(user?.Username))
        {
            return null;
        }

        var extra = (user.Extra ?? new Dictionary<string, IList<string>>())
            .ToDictionary(e => e.Key, e => (IReadOnlyList<string>)[.. e.Value ?? []], StringComparer.Ordinal);
        return new CallerIdentity(user.Username, user.Uid, [.. user.Groups ?? []], extra);
    }

    public async Task<bool> IsAllowedAsync(CallerIdentity caller, string namespaceName, CancellationToken cancellationToken)
    {
        var review = await client.AuthorizationV1.CreateSubjectAccessReviewAsync(
            new V1SubjectAccessReview
            {
                Spec = new V1SubjectAccessReviewSpec
                {
                    User = caller.UserName,
                    Uid = caller.Uid,
                    Groups = [.. caller.Groups],
                    Extra = caller.Extra.ToDictionary(e => e.Key, e => (IList<string>)[.. e.Value]),
                    ResourceAttributes = new V1ResourceAttributes
                    {
                        Verb = "create",
                        Group = ApiKeyReview.GroupName,
                        Resource = ApiKeyReview.ResourcePlural,
                        NamespaceProperty = namespaceName,
                    },
                },
            },
            cancellationToken: cancellationToken).ConfigureAwait(false);
        return review.Status is { Allowed: true, Denied: not true };
    }
}
