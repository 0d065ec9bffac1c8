using ApiKeyOperator.Api;
using ApiKeyOperator.Identity;
using ApiKeyOperator.Ledger;
using ApiKeyOperator.Runtime;
using k8s;
using k8s.Models;

namespace ApiKeyOperator.Controllers;

/// <summary>
/// Interim <see cref="IRequesterResolver"/> until the admission webhook records the authenticated requester: the
/// field manager of the object's latest change stands for the user (today's behaviour, which a client can choose),
/// and a rotation the operator created itself resolves to <see cref="Requester.Operator"/> only when nothing a
/// client can set could fake it: a controller ownerReference to the ApiKey (by uid), the scheduled label, and the
/// ApiKey's own status (writable only through /status) naming the rotation as the one the operator created.
/// Swapped for the webhook-backed resolver by registration.
/// </summary>
public sealed class ManagedFieldsRequesterResolver(IObjectCache<ApiKey> apiKeys) : IRequesterResolver
{
    /// <summary>Label the operator puts on rotations it creates (schedule, Secret restore). Alone it proves nothing.</summary>
    public const string ScheduledLabel = "apikeyoperator.io/scheduled";

    public Requester ChangedBy(IKubernetesObject<V1ObjectMeta> obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return obj is ApiKeyRotation rotation && IsOperatorCreated(rotation) ? Requester.Operator : FieldManager(obj);
    }

    public ValueTask<Requester> DeletedByAsync(IKubernetesObject<V1ObjectMeta> obj, CancellationToken cancellationToken) =>
        ValueTask.FromResult(FieldManager(obj));

    private bool IsOperatorCreated(ApiKeyRotation rotation)
    {
        if (rotation.Metadata.Labels?.TryGetValue(ScheduledLabel, out var scheduled) != true || scheduled != "true")
        {
            return false;
        }

        var apiKey = apiKeys.Get(new ObjectKey(rotation.Metadata.NamespaceProperty, rotation.Spec.ApiKeyName));
        return apiKey is not null
            && rotation.Metadata.OwnerReferences?.Any(o => o.Controller == true && o.Kind == ApiKey.KubeKind && o.Uid == apiKey.Metadata.Uid) == true
            && apiKey.Status?.ScheduledRotation == rotation.Metadata.Name;
    }

    private static Requester FieldManager(IKubernetesObject<V1ObjectMeta> obj) => new(AuditActor.Of(obj), [], null);
}
