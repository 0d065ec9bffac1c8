using k8s;
using k8s.Models;

namespace ApiKeyOperator.Runtime;

/// <summary>One line of a watch stream: an object change, a bookmark, or an error <see cref="V1Status"/>.</summary>
public sealed record WatchEvent<T>(WatchEventType Type, T? Object, V1Status? Status)
    where T : class, IKubernetesObject<V1ObjectMeta>;
