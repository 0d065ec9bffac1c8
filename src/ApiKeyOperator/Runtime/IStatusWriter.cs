using k8s;
using k8s.Models;

namespace ApiKeyOperator.Runtime;

/// <summary>Writes status through the <c>/status</c> subresource only, retrying on 409 Conflict.</summary>
public interface IStatusWriter
{
    /// <summary>
    /// Applies <paramref name="mutate"/> to the latest copy of the object and writes its status.
    /// <paramref name="mutate"/> returns false when it changed nothing, in which case nothing is written.
    /// On conflict the object is read again and <paramref name="mutate"/> re-applied. Returns the object
    /// as written (or as read when unchanged), or null when the object no longer exists.
    /// </summary>
    Task<T?> UpdateAsync<T>(T current, Func<T, bool> mutate, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>;
}
