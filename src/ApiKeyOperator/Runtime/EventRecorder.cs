using System.Security.Cryptography;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace ApiKeyOperator.Runtime;

/// <summary>
/// Writes core/v1 Events. A repeat of an Event this recorder wrote recently (same object, type, reason and
/// message) patches that Event's count and lastTimestamp instead of creating another, as client-go's
/// EventCorrelator does. Every failure is logged and swallowed.
/// </summary>
public sealed class EventRecorder : IEventRecorder
{
    private const int MaxMessageLength = 1024;
    private const int MaxNamePrefixLength = 236;
    private const string NamespaceTerminatingCause = "NamespaceTerminating";
    private readonly ResourceClient<Corev1Event> _events;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly EventRecorderOptions _options;
    private readonly Lock _lock = new();
    private readonly Dictionary<EventIdentity, LinkedListNode<RecordedEvent>> _recent = [];
    private readonly LinkedList<RecordedEvent> _order = new();

    public EventRecorder(ApiTransport transport, TimeProvider time, ILogger<EventRecorder> logger, EventRecorderOptions? options = null)
    {
        _events = new ResourceClient<Corev1Event>(transport);
        _time = time;
        _logger = logger;
        _options = options ?? new EventRecorderOptions();
    }

    public Task NormalAsync(IKubernetesObject<V1ObjectMeta> regarding, string reason, string message, CancellationToken cancellationToken) =>
        RecordAsync(regarding, "Normal", reason, message, cancellationToken);

    public Task WarningAsync(IKubernetesObject<V1ObjectMeta> regarding, string reason, string message, CancellationToken cancellationToken) =>
        RecordAsync(regarding, "Warning", reason, message, cancellationToken);

    private async Task RecordAsync(IKubernetesObject<V1ObjectMeta> regarding, string type, string reason, string message, CancellationToken cancellationToken)
    {
        try
        {
            var involved = Reference(regarding);
            if (message.Length > MaxMessageLength)
            {
                message = message[..MaxMessageLength];
            }

            var identity = new EventIdentity(involved.Uid ?? string.Empty, involved.Kind, involved.NamespaceProperty, involved.Name, type, reason, message);
            var now = Truncate(_time.GetUtcNow());
            if (Remembered(identity) is { } previous && await TryIncrementAsync(previous, now, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            var created = await _events.CreateAsync(
                new Corev1Event
                {
                    Metadata = new V1ObjectMeta
                    {
                        Name = $"{Prefix(involved.Name)}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}",
                        NamespaceProperty = involved.NamespaceProperty ?? "default",
                    },
                    InvolvedObject = involved,
                    Type = type,
                    Reason = reason,
                    Message = message,
                    Count = 1,
                    FirstTimestamp = now,
                    LastTimestamp = now,
                    Source = new V1EventSource { Component = _options.Component, Host = _options.Instance },
                    ReportingComponent = _options.Component,
                    ReportingInstance = _options.Instance,
                },
                cancellationToken).ConfigureAwait(false);
            Remember(new RecordedEvent(identity, ObjectKey.Of(created), 1));
        }
        catch (Exception e) when (IsNamespaceGoing(e))
        {
            // The object's namespace is being deleted (or is gone): nobody will read the Event, and nothing is wrong.
            _logger.LogDebug(
                "Dropped {Type} event {Reason} for {Kind} {Object}: namespace {Namespace} is terminating", type, reason, regarding.Kind, regarding.Metadata?.Name,
                regarding.Metadata?.NamespaceProperty);
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException)
        {
            // An API answer or an unreachable server: the message says it all, a stack trace adds nothing.
            _logger.LogWarning("Could not record {Type} event {Reason} for {Kind} {Object}: {Error}", type, reason, regarding.Kind, regarding.Metadata?.Name, e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _logger.LogWarning(e, "Could not record {Type} event {Reason} for {Kind} {Object}", type, reason, regarding.Kind, regarding.Metadata?.Name);
        }
    }

    /// <summary>
    /// kube-apiserver's NamespaceLifecycle admission refuses new content in a terminating namespace with a 403 whose
    /// cause is NamespaceTerminating (client-go's event sink drops those silently); a deleted namespace answers 404.
    /// </summary>
    private static bool IsNamespaceGoing(Exception exception) =>
        (ApiErrors.StatusCode(exception) == System.Net.HttpStatusCode.Forbidden
            && exception is HttpOperationException { Body: V1Status status }
            && (status.Details?.Causes?.Any(c => c.Reason == NamespaceTerminatingCause) == true
                || status.Message?.Contains("because it is being terminated", StringComparison.Ordinal) == true))
        || (ApiErrors.IsNotFound(exception) && exception is HttpOperationException { Body: V1Status { Details.Kind: "namespaces" } });

    /// <summary>Patches count and lastTimestamp of the remembered Event; false when that Event is gone.</summary>
    private async Task<bool> TryIncrementAsync(RecordedEvent previous, DateTime now, CancellationToken cancellationToken)
    {
        var count = previous.Count + 1;
        var patch = new JsonObject
        {
            ["count"] = count,
            ["lastTimestamp"] = now.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
        };
        try
        {
            await _events.PatchAsync(previous.Event, patch.ToJsonString(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e))
        {
            return false;
        }

        Remember(previous with { Count = count });
        return true;
    }

    private RecordedEvent? Remembered(EventIdentity identity)
    {
        lock (_lock)
        {
            return _recent.TryGetValue(identity, out var node) ? node.Value : null;
        }
    }

    private void Remember(RecordedEvent recorded)
    {
        lock (_lock)
        {
            if (_recent.Remove(recorded.Identity, out var old))
            {
                _order.Remove(old);
            }

            _recent[recorded.Identity] = _order.AddFirst(recorded);
            while (_order.Count > _options.Capacity && _order.Last is { } oldest)
            {
                _order.RemoveLast();
                _recent.Remove(oldest.Value.Identity);
            }
        }
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

    private static string Prefix(string name) => name.Length > MaxNamePrefixLength ? name[..MaxNamePrefixLength] : name;

    private static DateTime Truncate(DateTimeOffset time) =>
        new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);

    private sealed record EventIdentity(string Uid, string Kind, string? Namespace, string Name, string Type, string Reason, string Message);

    private sealed record RecordedEvent(EventIdentity Identity, ObjectKey Event, int Count);
}
