using System.Collections.Immutable;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace ApiKeyOperator.Runtime;

/// <summary>
/// List+watch of one kind into an <see cref="ObjectCache{T}"/>, as client-go's reflector: watches resume from the
/// last resourceVersion seen (bookmarks keep it fresh), a 410 Gone re-lists, each watch carries a randomised
/// timeoutSeconds, and errors back off exponentially. Several namespaces get one such loop each, feeding the one
/// cache; it counts as synced once every namespace was listed.
/// </summary>
public sealed class Informer<T> : IInformer where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly ResourceClient<T> _client;
    private readonly InformerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _dispatch = new();
    private ImmutableArray<InformerHandler<T>> _handlers = [];
    private readonly Scope[] _scopes;
    private int _scopesNotListed;

    public Informer(ResourceClient<T> client, InformerOptions options, TimeProvider time, ILogger<Informer<T>> logger)
    {
        _client = client;
        _options = options;
        _time = time;
        _logger = logger;
        _scopes = [.. options.Scopes.Select(ns => new Scope(ns))];
        _scopesNotListed = _scopes.Length;
        Name = $"{client.Type.Plural}.{(client.Type.Group.Length == 0 ? "core" : client.Type.Group)}"
            + (_scopes is [{ Namespace: null }] ? string.Empty : $" in {string.Join(",", _scopes.Select(s => s.Namespace))}")
            + (options.LabelSelector is null ? string.Empty : $" [{options.LabelSelector}]");
    }

    public string Name { get; }

    public ObjectCache<T> Cache { get; } = new();

    public bool HasSynced => Cache.HasSynced;

    public InformerOptions Options => _options;

    /// <summary>The resourceVersion a watch resumes from (of the last list, event or bookmark; of the first namespace when there are several); null until listed and while a re-list is due.</summary>
    public string? LastSyncResourceVersion => _scopes[0].ResourceVersion;

    public Task WaitForSyncAsync(CancellationToken cancellationToken) => Cache.Synced.WaitAsync(cancellationToken);

    /// <summary>Adds callbacks; objects already cached are delivered to <see cref="InformerHandler{T}.OnAdd"/> at once.</summary>
    public void AddHandler(InformerHandler<T> handler)
    {
        ImmutableInterlocked.Update(ref _handlers, h => h.Add(handler));
        if (handler.OnAdd is { } onAdd)
        {
            foreach (var obj in Cache.List())
            {
                onAdd(obj);
            }
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var resync = _options.ResyncPeriod is { } period
            ? ResyncAsync(period, cancellationToken)
            : Task.CompletedTask;
        await Task.WhenAll(_scopes.Select(scope => ListAndWatchAsync(scope, cancellationToken))).ConfigureAwait(false);
        await resync.ConfigureAwait(false);
    }

    private async Task ResyncAsync(TimeSpan period, CancellationToken cancellationToken)
    {
        try
        {
            await Cache.Synced.WaitAsync(cancellationToken).ConfigureAwait(false);
            while (true)
            {
                await Task.Delay(period, _time, cancellationToken).ConfigureAwait(false);
                foreach (var obj in Cache.List())
                {
                    Dispatch(h => h.OnUpdate?.Invoke(obj, obj));
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The informer stopped.
        }
    }

    // Resumes from the resourceVersion of the last event handled, even when a watch broke midway.
    private async Task ListAndWatchAsync(Scope scope, CancellationToken cancellationToken)
    {
        var backoff = _options.InitialBackoff;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (scope.ResourceVersion is null)
                {
                    await ListAsync(scope, cancellationToken).ConfigureAwait(false);
                }

                await WatchAsync(scope, cancellationToken).ConfigureAwait(false);
                backoff = _options.InitialBackoff;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (ApiErrors.IsGone(e))
            {
                _logger.LogInformation("Informer {Informer}: resourceVersion {ResourceVersion} expired, re-listing", Name, scope.ResourceVersion);
                scope.ResourceVersion = null;
            }
            catch (Exception e)
            {
                _logger.LogWarning(e, "Informer {Informer}: list/watch failed, retrying in {Backoff}", Name, backoff);
                try
                {
                    await Task.Delay(backoff, _time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _options.MaxBackoff.Ticks));
            }
        }
    }

    /// <summary>Full list of one scope, replacing its part of the cache like client-go's DeltaFIFO.Replace.</summary>
    private async Task ListAsync(Scope scope, CancellationToken cancellationToken)
    {
        var list = await _client.ListAsync(scope.Namespace, _options.LabelSelector, cancellationToken).ConfigureAwait(false);
        var seen = new HashSet<ObjectKey>();
        foreach (var obj in list.Items)
        {
            seen.Add(ObjectKey.Of(obj));
            Apply(WatchEventType.Added, obj);
        }

        foreach (var key in Cache.Keys.Where(k => !seen.Contains(k) && (scope.Namespace is null || k.Namespace == scope.Namespace)))
        {
            if (Cache.Remove(key) is { } gone)
            {
                Dispatch(h => h.OnDelete?.Invoke(gone));
            }
        }

        scope.ResourceVersion = list.ResourceVersion;
        if (!scope.Listed)
        {
            scope.Listed = true;
            if (Interlocked.Decrement(ref _scopesNotListed) == 0)
            {
                Cache.MarkSynced();
            }
        }

        _logger.LogDebug("Informer {Informer}: listed {Count} objects at resourceVersion {ResourceVersion}", Name, list.Items.Count, list.ResourceVersion);
    }

    /// <summary>One watch of one scope, until the server ends it.</summary>
    private async Task WatchAsync(Scope scope, CancellationToken cancellationToken)
    {
        var timeout = _options.MinWatchTimeout * (1 + Random.Shared.NextDouble());
        await foreach (var change in _client.WatchAsync(scope.Namespace, _options.LabelSelector, scope.ResourceVersion!, timeout, _time, cancellationToken).ConfigureAwait(false))
        {
            switch (change)
            {
                case { Type: WatchEventType.Error, Status: var status }:
                    if (status?.Code == 410)
                    {
                        throw new WatchExpiredException(status.Message ?? "resourceVersion too old");
                    }

                    throw new InvalidOperationException($"watch error {status?.Code}: {status?.Message}");
                case { Object: { } obj }:
                    if (change.Type != WatchEventType.Bookmark)
                    {
                        Apply(change.Type, obj);
                    }

                    scope.ResourceVersion = obj.Metadata?.ResourceVersion ?? scope.ResourceVersion;
                    break;
            }
        }
    }

    private void Apply(WatchEventType type, T obj)
    {
        if (type == WatchEventType.Deleted)
        {
            var removed = Cache.Remove(ObjectKey.Of(obj));
            Dispatch(h => h.OnDelete?.Invoke(removed ?? obj));
            return;
        }

        var previous = Cache.Upsert(obj);
        if (previous is null)
        {
            Dispatch(h => h.OnAdd?.Invoke(obj));
        }
        else
        {
            Dispatch(h => h.OnUpdate?.Invoke(previous, obj));
        }
    }

    // Serialised, so handlers see one event at a time whether it comes from the watch or a resync.
    private void Dispatch(Action<InformerHandler<T>> call)
    {
        lock (_dispatch)
        {
            foreach (var handler in _handlers)
            {
                try
                {
                    call(handler);
                }
                catch (Exception e)
                {
                    _logger.LogError(e, "Informer {Informer}: event handler failed", Name);
                }
            }
        }
    }

    /// <summary>One namespace (null: all) and where its watch resumes; written only by its own loop.</summary>
    private sealed class Scope(string? namespaceName)
    {
        private volatile string? _resourceVersion;

        public string? Namespace { get; } = namespaceName;

        public string? ResourceVersion
        {
            get => _resourceVersion;
            set => _resourceVersion = value;
        }

        public bool Listed { get; set; }
    }
}
