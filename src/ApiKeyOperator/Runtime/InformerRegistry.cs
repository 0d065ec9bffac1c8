using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace ApiKeyOperator.Runtime;

/// <summary>
/// The shared informers of a host: one per kind, so every controller and reconciler reading a kind shares one
/// watch and one cache. Informers declared after <see cref="Start"/> start at once.
/// </summary>
public sealed class InformerRegistry : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<Type, IInformer> _informers = [];
    private readonly List<Task> _running = [];
    private readonly ApiTransport _transport;
    private readonly IReadOnlyList<string>? _namespaces;
    private readonly TimeSpan? _resyncPeriod;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private CancellationTokenSource? _stop;

    /// <param name="namespaces">The namespaces every informer watches; null or empty: all.</param>
    public InformerRegistry(ApiTransport transport, TimeProvider time, ILoggerFactory loggers, IReadOnlyList<string>? namespaces = null, TimeSpan? resyncPeriod = null)
    {
        _transport = transport;
        _time = time;
        _loggers = loggers;
        _namespaces = namespaces;
        _resyncPeriod = resyncPeriod;
    }

    public IReadOnlyList<IInformer> All
    {
        get
        {
            lock (_lock)
            {
                return [.. _informers.Values];
            }
        }
    }

    /// <summary>
    /// The informer of <typeparamref name="T"/> with exactly this label selector, created if absent. A kind has one
    /// informer: asking for it with a different selector is a configuration error.
    /// </summary>
    public Informer<T> For<T>(string? labelSelector) where T : class, IKubernetesObject<V1ObjectMeta>
    {
        lock (_lock)
        {
            if (_informers.TryGetValue(typeof(T), out var existing))
            {
                var informer = (Informer<T>)existing;
                if (informer.Options.LabelSelector != labelSelector)
                {
                    throw new InvalidOperationException(
                        $"{typeof(T).Name} is already watched with label selector '{informer.Options.LabelSelector}', not '{labelSelector}'");
                }

                return informer;
            }

            return Create<T>(labelSelector);
        }
    }

    /// <summary>The informer of <typeparamref name="T"/> whatever its selector, or a new one watching every object.</summary>
    public Informer<T> GetOrAdd<T>() where T : class, IKubernetesObject<V1ObjectMeta>
    {
        lock (_lock)
        {
            return _informers.TryGetValue(typeof(T), out var existing) ? (Informer<T>)existing : Create<T>(null);
        }
    }

    public void Start(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_stop is not null)
            {
                return;
            }

            _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            foreach (var informer in _informers.Values)
            {
                Run(informer);
            }
        }
    }

    /// <summary>Stops every informer and waits for their loops to end.</summary>
    public async Task StopAsync()
    {
        Task[] running;
        lock (_lock)
        {
            _stop?.Cancel();
            running = [.. _running];
        }

        await Task.WhenAll(running).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stop?.Dispose();
    }

    // Called under the lock.
    private Informer<T> Create<T>(string? labelSelector) where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var informer = new Informer<T>(
            new ResourceClient<T>(_transport),
            new InformerOptions { Namespaces = _namespaces, LabelSelector = labelSelector, ResyncPeriod = _resyncPeriod },
            _time,
            _loggers.CreateLogger<Informer<T>>());
        _informers[typeof(T)] = informer;
        if (_stop is not null)
        {
            Run(informer);
        }

        return informer;
    }

    // Called under the lock.
    private void Run(IInformer informer)
    {
        var token = _stop!.Token;
        _running.Add(Task.Run(() => informer.RunAsync(token), CancellationToken.None));
    }
}
