using k8s;
using k8s.Models;

namespace ApiKeyOperator.Runtime;

/// <summary>Read side of an informer: objects as last seen by its list+watch. Never mutate what it returns.</summary>
public interface IObjectCache<T> where T : class, IKubernetesObject<V1ObjectMeta>
{
    bool HasSynced { get; }

    T? Get(ObjectKey key);

    /// <summary>All cached objects, or those of one namespace when <paramref name="namespaceName"/> is set.</summary>
    IReadOnlyList<T> List(string? namespaceName = null);
}
