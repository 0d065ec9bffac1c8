using k8s;
using k8s.Models;

namespace ApiKeyOperator.Ledger;

/// <summary>
/// Who changed an object, for the audit trail: the field manager of its most recent managed-fields entry
/// (kubectl-client-side-apply, argocd-controller, …). Objects the operator created itself, and servers that
/// keep no managed fields, fall back to what is known.
/// </summary>
public static class AuditActor
{
    public const string Unknown = "unknown";

    public static string Of(IKubernetesObject<V1ObjectMeta> obj)
    {
        var latest = (obj.Metadata.ManagedFields ?? [])
            .Where(f => !string.IsNullOrEmpty(f.Manager) && f.Subresource is null or "")
            .OrderByDescending(f => f.Time ?? DateTime.MinValue)
            .FirstOrDefault();
        if (latest is not null)
        {
            return latest.Manager;
        }

        return obj.Metadata.Annotations?.ContainsKey("kubectl.kubernetes.io/last-applied-configuration") == true ? "kubectl" : Unknown;
    }
}
