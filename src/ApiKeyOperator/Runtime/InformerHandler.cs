using k8s;
using k8s.Models;

namespace ApiKeyOperator.Runtime;

/// <summary>
/// Callbacks of an informer, called on its watch loop (keep them quick: enqueue, don't do I/O). An update is
/// also delivered for a re-list that found an object unchanged, like client-go's resync.
/// </summary>
public sealed record InformerHandler<T>(Action<T>? OnAdd = null, Action<T, T>? OnUpdate = null, Action<T>? OnDelete = null)
    where T : class, IKubernetesObject<V1ObjectMeta>;
