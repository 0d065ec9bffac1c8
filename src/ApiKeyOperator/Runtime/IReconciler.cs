using k8s;
using k8s.Models;

namespace ApiKeyOperator.Runtime;

/// <summary>
/// Level-based reconciler for one kind: reads the world (caches), decides, acts, writes status.
/// Called with at most one in-flight reconcile per key.
/// </summary>
public interface IReconciler<TResource> where TResource : class, IKubernetesObject<V1ObjectMeta>
{
    Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken);
}
