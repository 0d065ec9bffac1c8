using k8s;
using k8s.Models;

namespace ApiKeyOperator.Identity;

/// <summary>
/// Who asked for a change of an ApiKey or ApiKeyRotation. Controllers ask this, and only this, for the actor of
/// an audit row; the admission webhook is what records the requester in a form this can verify.
/// </summary>
public interface IRequesterResolver
{
    /// <summary>Who created the object or made its latest spec change; <see cref="Requester.Unknown"/> when unverifiable.</summary>
    Requester ChangedBy(IKubernetesObject<V1ObjectMeta> obj);

    /// <summary>Who asked the API server to delete the object (now carrying a deletionTimestamp).</summary>
    ValueTask<Requester> DeletedByAsync(IKubernetesObject<V1ObjectMeta> obj, CancellationToken cancellationToken);
}
