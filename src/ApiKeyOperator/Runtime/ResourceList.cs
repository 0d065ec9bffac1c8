using k8s;
using k8s.Models;

namespace ApiKeyOperator.Runtime;

/// <summary>A complete list (all pages) and the resourceVersion to watch from.</summary>
public sealed record ResourceList<T>(IReadOnlyList<T> Items, string ResourceVersion)
    where T : class, IKubernetesObject<V1ObjectMeta>;
