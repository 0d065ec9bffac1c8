using System.Collections.Concurrent;
using k8s;
using k8s.Models;

namespace ApiKeyOperator.Runtime;

/// <summary>Thread-safe store behind an informer. Objects are replaced, never mutated, so readers need no lock.</summary>
public sealed class ObjectCache<T> : IObjectCache<T> where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly ConcurrentDictionary<ObjectKey, T> _objects = new();
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool HasSynced => _synced.Task.IsCompleted;

    /// <summary>Completes when the informer's first list is in.</summary>
    public Task Synced => _synced.Task;

    public T? Get(ObjectKey key) => _objects.TryGetValue(key, out var obj) ? obj : null;

    public IReadOnlyList<T> List(string? namespaceName = null) =>
        namespaceName is null
            ? [.. _objects.Values]
            : [.. _objects.Values.Where(o => o.Metadata.NamespaceProperty == namespaceName)];

    internal IReadOnlyCollection<ObjectKey> Keys => [.. _objects.Keys];

    /// <summary>Stores the object and returns the one it replaced.</summary>
    internal T? Upsert(T obj)
    {
        var key = ObjectKey.Of(obj);
        T? previous = null;
        _objects.AddOrUpdate(key, obj, (_, old) =>
        {
            previous = old;
            return obj;
        });
        return previous;
    }

    internal T? Remove(ObjectKey key) => _objects.TryRemove(key, out var old) ? old : null;

    internal void MarkSynced() => _synced.TrySetResult();
}
