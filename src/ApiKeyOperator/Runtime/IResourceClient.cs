using k8s;
using k8s.Models;

namespace ApiKeyOperator.Runtime;

/// <summary>
/// Typed API access for one kind (built-in or custom, found from its <c>KubernetesEntity</c> attribute).
/// API errors other than the ones documented surface as <c>k8s.Autorest.HttpOperationException</c>.
/// </summary>
public interface IResourceClient<T> where T : class, IKubernetesObject<V1ObjectMeta>
{
    /// <summary>Reads from the API server (not the cache); null when it does not exist.</summary>
    Task<T?> GetAsync(ObjectKey key, CancellationToken cancellationToken);

    Task<T> CreateAsync(T obj, CancellationToken cancellationToken);

    /// <summary>PUT with the object's resourceVersion: a stale one fails with 409 Conflict.</summary>
    Task<T> ReplaceAsync(T obj, CancellationToken cancellationToken);

    /// <summary>JSON merge patch (RFC 7386) of the main resource.</summary>
    Task<T> PatchAsync(ObjectKey key, string mergePatchJson, CancellationToken cancellationToken);

    /// <summary>
    /// JSON merge patch of the <c>/status</c> subresource: touches only the fields in the patch, so writers of
    /// disjoint status fields never overwrite each other (and need no resourceVersion).
    /// </summary>
    Task<T> PatchStatusAsync(ObjectKey key, string mergePatchJson, CancellationToken cancellationToken);

    /// <summary>PUT of the <c>/status</c> subresource with the object's resourceVersion.</summary>
    Task<T> ReplaceStatusAsync(T obj, CancellationToken cancellationToken);

    /// <summary>Deletes (background propagation); a missing object is not an error.</summary>
    Task DeleteAsync(ObjectKey key, CancellationToken cancellationToken);
}
