using k8s;
using k8s.Models;

namespace ApiKeyOperator.Runtime;

/// <summary>
/// Declares what a controller for <typeparamref name="T"/> watches, as controller-runtime's builder:
/// the primary kind always; <see cref="Owns{TOwned}"/> kinds whose controller ownerReference points at a
/// <typeparamref name="T"/>; <see cref="Watches{TOther}"/> kinds mapped to primary keys by a function.
/// </summary>
public sealed class ControllerBuilder<T> where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly List<Action<InformerRegistry>> _declarations = [];
    private readonly List<Action<InformerRegistry, WorkQueue, IServiceProvider>> _connections = [];
    private string? _primarySelector;

    internal ControllerBuilder()
    {
        Name = ResourceType.Of<T>().Kind.ToLowerInvariant();
    }

    internal string Name { get; private set; }

    internal int? MaxConcurrentReconciles { get; private set; }

    /// <summary>Name in logs and metrics (label <c>controller</c>, queue <c>name</c>); default the lowercase kind.</summary>
    public ControllerBuilder<T> Named(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        return this;
    }

    /// <summary>Workers of this controller; default <c>--max-concurrent-reconciles</c>.</summary>
    public ControllerBuilder<T> WithMaxConcurrentReconciles(int workers)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        MaxConcurrentReconciles = workers;
        return this;
    }

    /// <summary>Watches only primary objects matching <paramref name="labelSelector"/>.</summary>
    public ControllerBuilder<T> WithLabelSelector(string labelSelector)
    {
        _primarySelector = labelSelector;
        return this;
    }

    /// <summary>
    /// Reconciles the controller owner of every <typeparamref name="TOwned"/> whose controller ownerReference is a
    /// <typeparamref name="T"/> (same namespace). A selector narrows the watch and the shared cache of that kind.
    /// </summary>
    public ControllerBuilder<T> Owns<TOwned>(string? labelSelector = null) where TOwned : class, IKubernetesObject<V1ObjectMeta>
    {
        var owner = ResourceType.Of<T>();
        return Source<TOwned>(labelSelector, _ => obj =>
        {
            var reference = KubeObjects.ControllerOf(obj);
            return reference is not null && reference.Kind == owner.Kind && owner.IsGroupOf(reference.ApiVersion)
                ? [new ObjectKey(obj.Metadata.NamespaceProperty, reference.Name)]
                : [];
        });
    }

    /// <summary>Reconciles the keys <paramref name="map"/> returns for every change of a <typeparamref name="TOther"/>.</summary>
    public ControllerBuilder<T> Watches<TOther>(Func<TOther, IEnumerable<ObjectKey>> map, string? labelSelector = null)
        where TOther : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(map);
        return Source<TOther>(labelSelector, _ => map);
    }

    /// <summary>
    /// As <see cref="Watches{TOther}(Func{TOther, IEnumerable{ObjectKey}}, string?)"/>, for a map that reads other caches:
    /// <paramref name="mapFactory"/> is given the host's services once, when the controller is built.
    /// </summary>
    public ControllerBuilder<T> Watches<TOther>(Func<IServiceProvider, Func<TOther, IEnumerable<ObjectKey>>> mapFactory, string? labelSelector = null)
        where TOther : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(mapFactory);
        return Source(labelSelector, mapFactory);
    }

    /// <summary>Creates (or checks) the informers this controller needs, before any reconciler reads a cache.</summary>
    internal void DeclareInformers(InformerRegistry informers)
    {
        informers.For<T>(_primarySelector);
        foreach (var declare in _declarations)
        {
            declare(informers);
        }
    }

    /// <summary>Routes informer events into the controller's queue.</summary>
    internal void Connect(InformerRegistry informers, WorkQueue queue, IServiceProvider services)
    {
        void Enqueue(T obj) => queue.Add(ObjectKey.Of(obj));
        informers.For<T>(_primarySelector).AddHandler(new InformerHandler<T>(Enqueue, (_, obj) => Enqueue(obj), Enqueue));
        foreach (var connect in _connections)
        {
            connect(informers, queue, services);
        }
    }

    private ControllerBuilder<T> Source<TOther>(string? labelSelector, Func<IServiceProvider, Func<TOther, IEnumerable<ObjectKey>>> mapFactory)
        where TOther : class, IKubernetesObject<V1ObjectMeta>
    {
        _declarations.Add(informers => informers.For<TOther>(labelSelector));
        _connections.Add((informers, queue, services) =>
        {
            var map = mapFactory(services);
            void Enqueue(TOther obj)
            {
                foreach (var key in map(obj))
                {
                    queue.Add(key);
                }
            }

            informers.For<TOther>(labelSelector).AddHandler(new InformerHandler<TOther>(
                Enqueue,
                (old, obj) =>
                {
                    // An update may move the object to other primaries (owner or mapped fields changed): both sides hear of it.
                    Enqueue(old);
                    Enqueue(obj);
                },
                Enqueue));
        });
        return this;
    }
}
