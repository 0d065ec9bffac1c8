using k8s;
using k8s.Models;

namespace ApiKeyOperator.Runtime;

/// <summary>What dependency injection hands out for <see cref="IObjectCache{T}"/>: the cache of the kind's shared informer.</summary>
public sealed class SharedObjectCache<T> : IObjectCache<T> where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly ObjectCache<T> _cache;

    public SharedObjectCache(InformerRegistry informers)
    {
        ArgumentNullException.ThrowIfNull(informers);
        _cache = informers.GetOrAdd<T>().Cache;
    }

    public bool HasSynced => _cache.HasSynced;

    public T? Get(ObjectKey key) => _cache.Get(key);

    public IReadOnlyList<T> List(string? namespaceName = null) => _cache.List(namespaceName);
}
