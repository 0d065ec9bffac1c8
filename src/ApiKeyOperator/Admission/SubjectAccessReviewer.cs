using k8s;
using k8s.Models;

namespace ApiKeyOperator.Admission;

/// <summary>
/// <see cref="IAccessReviewer"/> by <c>authorization.k8s.io/v1</c> SubjectAccessReview, naming the requester with
/// every attribute <c>userInfo</c> carried (user, uid, groups, extra), so the answer is the one the API server
/// would give that user. Not cached: admission requests are rare and a revoked permission must count at once.
/// </summary>
public sealed class SubjectAccessReviewer(IKubernetes client) : IAccessReviewer
{
    public async Task<bool> IsAllowedAsync(AdmissionUser user, ResourceAccess access, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(access);
        var review = await client.AuthorizationV1.CreateSubjectAccessReviewAsync(
            new V1SubjectAccessReview
            {
                Spec = new V1SubjectAccessReviewSpec
                {
                    User = user.Username,
                    Uid = user.Uid,
                    Groups = [.. user.Groups],
                    Extra = user.Extra.ToDictionary(e => e.Key, e => (IList<string>)[.. e.Value]),
                    ResourceAttributes = new V1ResourceAttributes
                    {
                        Verb = access.Verb,
                        Group = access.Group,
                        Resource = access.Resource,
                        NamespaceProperty = access.Namespace,
                        Name = access.Name,
                    },
                },
            },
            cancellationToken: cancellationToken).ConfigureAwait(false);
        return review.Status is { Allowed: true, Denied: not true };
    }
}
