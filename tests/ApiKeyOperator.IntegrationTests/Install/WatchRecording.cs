using ApiKeyOperator.Runtime;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace ApiKeyOperator.IntegrationTests.Install;

/// <summary>The watch events of one kind in one namespace, collected in the background from a given resourceVersion.</summary>
public sealed class WatchRecording<T> : IAsyncDisposable where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly List<WatchEvent<T>> _events = [];
    private readonly CancellationTokenSource _stop;
    private Task _watch = Task.CompletedTask;

    private WatchRecording(CancellationToken cancellationToken)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
    }

    /// <summary>Everything seen so far, in the order the server sent it.</summary>
    public IReadOnlyList<WatchEvent<T>> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    public static WatchRecording<T> Start(ResourceClient<T> client, string namespaceName, string resourceVersion, CancellationToken cancellationToken)
    {
        var recording = new WatchRecording<T>(cancellationToken);
        recording._watch = Task.Run(() => recording.RunAsync(client, namespaceName, resourceVersion), CancellationToken.None);
        return recording;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _watch;
        _stop.Dispose();
    }

    private async Task RunAsync(ResourceClient<T> client, string namespaceName, string resourceVersion)
    {
        try
        {
            await foreach (var change in client.WatchAsync(namespaceName, null, resourceVersion, TimeSpan.FromMinutes(5), TimeProvider.System, _stop.Token))
            {
                lock (_events)
                {
                    _events.Add(change);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or HttpOperationException or HttpRequestException or IOException)
        {
            // Stopped, or the kind went away with its CRD: what was recorded stays.
        }
    }
}
