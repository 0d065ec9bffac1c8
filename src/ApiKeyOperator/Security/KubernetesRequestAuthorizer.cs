using k8s;
using k8s.Models;

namespace ApiKeyOperator.Security;

/// <summary>
/// <see cref="IRequestAuthorizer"/> asking the API server: authentication.k8s.io/v1 TokenReview and
/// authorization.k8s.io/v1 SubjectAccessReview. The operator's ServiceAccount needs <c>create</c> on both.
/// With <paramref name="audiences"/>, only tokens issued for one of them authenticate (a provider's projected
/// ServiceAccount token for <c>apikeyoperator.io</c>); without, the API server's own audiences apply.
/// </summary>
public sealed class KubernetesRequestAuthorizer(IKubernetes client, IReadOnlyList<string> audiences) : IRequestAuthorizer
{
    public IReadOnlyList<string> Audiences { get; } = audiences;

    public async Task<CallerIdentity?> AuthenticateAsync(string bearerToken, CancellationToken cancellationToken)
    {
        var review = await client.AuthenticationV1.CreateTokenReviewAsync(
            new V1TokenReview
            {
                Spec = new V1TokenReviewSpec { Token = bearerToken, Audiences = Audiences.Count == 0 ? null : [.. Audiences] },
            },
            cancellationToken: cancellationToken).ConfigureAwait(false);

        // The response echoes spec.token; only the user info is kept.
        var status = review.Status;
        var user = status?.User;
        if (status?.Authenticated != true || string.IsNullOrEmpty(user?.Username))
        {
            return null;
        }

        // An audience-aware server answers with the requested audiences the token is valid for; none in common
        // (or a server that ignored the request) means the token was not issued for us.
        if (Audiences.Count > 0 && !(status.Audiences ?? []).Intersect(Audiences, StringComparer.Ordinal).Any())
        {
            return null;
        }

        var extra = (user.Extra ?? new Dictionary<string, IList<string>>())
            .ToDictionary(e => e.Key, e => (IReadOnlyList<string>)[.. e.Value ?? []], StringComparer.Ordinal);
        return new CallerIdentity(user.Username, user.Uid, [.. user.Groups ?? []], extra);
    }

    public async Task<bool> IsAllowedAsync(CallerIdentity caller, AccessRequest request, CancellationToken cancellationToken)
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
                    ResourceAttributes = request.NonResourcePath is null
                        ? new V1ResourceAttributes
                        {
                            Verb = request.Verb,
                            Group = request.Group,
                            Resource = request.Resource,
                            NamespaceProperty = request.Namespace,
                        }
                        : null,
                    NonResourceAttributes = request.NonResourcePath is { } path
                        ? new V1NonResourceAttributes { Verb = request.Verb, Path = path }
                        : null,
                },
            },
            cancellationToken: cancellationToken).ConfigureAwait(false);
        return review.Status is { Allowed: true, Denied: not true };
    }
}
