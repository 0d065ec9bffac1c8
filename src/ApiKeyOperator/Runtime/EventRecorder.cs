using System.Threading.Channels;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace ApiKeyOperator.Runtime;

/// <summary>
/// Records Events off the reconcile path: <see cref="NormalAsync"/>/<see cref="WarningAsync"/> only put the Event on
/// a bounded queue and return; one background loop writes them in order (repeats are aggregated by the
/// <see cref="EventWriter"/>). An object past its own budget (<see cref="EventSpamFilter"/>) or a full queue drops the
/// Event and counts it in <c>apikey_operator_events_dropped_total</c>, as client-go's broadcaster does: an Event is
/// never worth slowing a reconcile for. <see cref="FlushAsync"/> writes what is queued at shutdown, within a deadline.
/// </summary>
public sealed class EventRecorder : IEventRecorder, IAsyncDisposable
{
    private const int MaxMessageLength = 1024;
    private readonly Channel<EventRequest> _queue;
    private readonly IEventSink _sink;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly EventRecorderOptions _options;
    private readonly Prometheus.Counter? _dropped;
    private readonly EventSpamFilter _spam;
    private readonly CancellationTokenSource _abandon = new();
    private readonly Task _loop;
    private long _droppedCount;

    public EventRecorder(ApiTransport transport, TimeProvider time, ILogger<EventRecorder> logger, EventRecorderOptions? options = null, OperatorMetrics? metrics = null)
        : this(new EventWriter(transport, logger, options ?? new EventRecorderOptions()), time, logger, options, metrics)
    {
    }

    public EventRecorder(IEventSink sink, TimeProvider time, ILogger<EventRecorder> logger, EventRecorderOptions? options = null, OperatorMetrics? metrics = null)
    {
        _sink = sink;
        _time = time;
        _logger = logger;
        _options = options ?? new EventRecorderOptions();
        _dropped = metrics?.EventsDropped;
        _spam = new EventSpamFilter(_options, time);
        _queue = Channel.CreateBounded<EventRequest>(new BoundedChannelOptions(_options.QueueCapacity) { SingleReader = true });
        _loop = Task.Run(WriteLoopAsync);
    }

    /// <summary>Events dropped since start: the queue was full, or still held Events when the flush deadline passed.</summary>
    public long Dropped => Interlocked.Read(ref _droppedCount);

    /// <summary>Queues the Event and returns at once; the returned task is always complete.</summary>
    public Task NormalAsync(IKubernetesObject<V1ObjectMeta> regarding, string reason, string message, CancellationToken cancellationToken)
    {
        Enqueue(regarding, "Normal", reason, message);
        return Task.CompletedTask;
    }

    /// <summary>Queues the Event and returns at once; the returned task is always complete.</summary>
    public Task WarningAsync(IKubernetesObject<V1ObjectMeta> regarding, string reason, string message, CancellationToken cancellationToken)
    {
        Enqueue(regarding, "Warning", reason, message);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Takes no more Events and writes those queued; Events still unwritten after <paramref name="timeout"/> (measured
    /// on the injected clock) are abandoned and counted as dropped. Safe to call more than once.
    /// </summary>
    public async Task FlushAsync(TimeSpan timeout)
    {
        _queue.Writer.TryComplete();
        try
        {
            await _loop.WaitAsync(timeout, _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The sink honours the token, so the loop ends promptly; only then is what it left counted, exactly once.
            await _abandon.CancelAsync().ConfigureAwait(false);
            await _loop.ConfigureAwait(false);
            var left = 0;
            while (_queue.Reader.TryRead(out _))
            {
                left++;
            }

            CountDropped(left);
            _logger.LogWarning("Dropped {Count} queued events: not written within the {Timeout} shutdown deadline", left, timeout);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await FlushAsync(_options.FlushTimeout).ConfigureAwait(false);
        _abandon.Dispose();
    }

    private void Enqueue(IKubernetesObject<V1ObjectMeta> regarding, string type, string reason, string message)
    {
        if (message.Length > MaxMessageLength)
        {
            message = message[..MaxMessageLength];
        }

        var request = new EventRequest(Reference(regarding), type, reason, message, Truncate(_time.GetUtcNow()));
        if (!_spam.Allow(request.Involved))
        {
            CountDropped(1);
            _logger.LogDebug("Dropped {Type} event {Reason} for {Kind} {Object}: over the per-object event rate", type, reason, request.Involved.Kind, request.Involved.Name);
            return;
        }

        if (!_queue.Writer.TryWrite(request))
        {
            CountDropped(1);
            _logger.LogDebug("Dropped {Type} event {Reason} for {Kind} {Object}: the event queue is full or shut down", type, reason, request.Involved.Kind, request.Involved.Name);
        }
    }

    private async Task WriteLoopAsync()
    {
        try
        {
            await foreach (var request in _queue.Reader.ReadAllAsync(_abandon.Token).ConfigureAwait(false))
            {
                if (_abandon.IsCancellationRequested)
                {
                    CountDropped(1);
                    break;
                }

                await _sink.WriteAsync(request, _abandon.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_abandon.IsCancellationRequested)
        {
            // Flush deadline passed: what is left is counted by FlushAsync.
        }
        catch (Exception e)
        {
            _logger.LogError(e, "The event loop stopped; later events are dropped");
        }
    }

    private void CountDropped(int count)
    {
        if (count == 0)
        {
            return;
        }

        Interlocked.Add(ref _droppedCount, count);
        _dropped?.Inc(count);
    }

    private static V1ObjectReference Reference(IKubernetesObject<V1ObjectMeta> obj)
    {
        var apiVersion = obj.ApiVersion;
        var kind = obj.Kind;
        if (apiVersion is null || kind is null)
        {
            var type = ResourceType.Of(obj.GetType());
            apiVersion ??= type.ApiVersion;
            kind ??= type.Kind;
        }

        return new V1ObjectReference
        {
            ApiVersion = apiVersion,
            Kind = kind,
            Name = obj.Metadata.Name,
            NamespaceProperty = obj.Metadata.NamespaceProperty,
            Uid = obj.Metadata.Uid,
            ResourceVersion = obj.Metadata.ResourceVersion,
        };
    }

    private static DateTime Truncate(DateTimeOffset time) =>
        new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
}
