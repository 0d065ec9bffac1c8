using System.Collections.Concurrent;
using System.Globalization;
using ApiKeyOperator.Api;
using ApiKeyOperator.IntegrationTests.Operator;
using ApiKeyOperator.Runtime;
using k8s;
using k8s.Models;

namespace ApiKeyOperator.IntegrationTests.Rotations;

/// <summary>
/// Watches pods, Secrets, ApiKeys and ApiKeyRotations of one namespace for a whole rotation (re-listing when a
/// watch is dropped) and replays what it saw in the server's order, so a test can assert an invariant at every
/// observed moment instead of on a final snapshot. A pod's credential is its KubeSim secret-hash annotation,
/// mapped to a key id through the Secret versions seen.
/// </summary>
public sealed class RotationHistory : IAsyncDisposable
{
    private readonly ConcurrentQueue<ObservedEvent> _events = new();
    private readonly ConcurrentDictionary<string, long> _reached = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _watches = [];
    private readonly string _namespace;

    private RotationHistory(string namespaceName)
    {
        _namespace = namespaceName;
    }

    public IReadOnlyList<ObservedEvent> Events => [.. _events.OrderBy(e => e.ResourceVersion)];

    public static RotationHistory Start(
        string namespaceName,
        ResourceClient<V1Pod> pods,
        ResourceClient<V1Secret> secrets,
        ResourceClient<ApiKey> apiKeys,
        ResourceClient<ApiKeyRotation> rotations)
    {
        var history = new RotationHistory(namespaceName);
        history._watches.Add(history.RunAsync(pods, "Pod"));
        history._watches.Add(history.RunAsync(secrets, "Secret"));
        history._watches.Add(history.RunAsync(apiKeys, "ApiKey"));
        history._watches.Add(history.RunAsync(rotations, "ApiKeyRotation"));
        return history;
    }

    /// <summary>Waits until every watch has delivered the server's state up to <paramref name="resourceVersion"/>.</summary>
    public Task CatchUpAsync(long resourceVersion, CancellationToken cancellationToken) =>
        Eventually.WaitAsync(
            _ => Task.FromResult(_reached.Count == 4 && _reached.Values.All(rv => rv >= resourceVersion)),
            TimeSpan.FromSeconds(60),
            $"every watch to reach resourceVersion {resourceVersion}",
            cancellationToken);

    /// <summary>
    /// Replays the history in server order and returns, for every event at which some Ready pod ran with a key
    /// that the ApiKey's status (as of that event) did not list as valid, a description of the violation.
    /// </summary>
    public IReadOnlyList<string> CredentialViolations(string secretName, long? untilResourceVersion = null)
    {
        var violations = new List<string>();
        var state = new HistoryState();
        foreach (var e in Events.TakeWhile(e => untilResourceVersion is null || e.ResourceVersion <= untilResourceVersion))
        {
            state.Apply(e);
            foreach (var pod in state.ReadyPods())
            {
                var keyId = state.KeyIdOf(pod, secretName);
                if (keyId is null)
                {
                    continue;
                }

                var record = state.ApiKey?.Status?.Keys?.FirstOrDefault(k => k.Id == keyId);
                if (record is null || !KeyStates.IsValid(record.State))
                {
                    violations.Add($"at rv {e.ResourceVersion} ({e.Type} {e.Kind} {e.Name}): Ready pod {pod.Metadata.Name} runs key {keyId}, which is {record?.State ?? "unknown to the ApiKey"}");
                }
            }
        }

        return violations;
    }

    /// <summary>The first event (in server order) matching the predicate, with the state replayed up to it.</summary>
    public ObservedEvent? First(Func<ObservedEvent, HistoryState, bool> predicate)
    {
        var state = new HistoryState();
        foreach (var e in Events)
        {
            state.Apply(e);
            if (predicate(e, state))
            {
                return e;
            }
        }

        return null;
    }

    /// <summary>The first ApiKey event in which key <paramref name="keyId"/> is Revoked.</summary>
    public ObservedEvent? Revocation(string keyId) =>
        First((e, s) => e.Object is ApiKey k && k.Status?.Keys?.Any(r => r.Id == keyId && r.State == KeyStates.Revoked) == true);

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync();
        try
        {
            await Task.WhenAll(_watches);
        }
        catch (OperationCanceledException)
        {
            // Stopped on purpose.
        }
    }

    public static long Rv(IKubernetesObject<V1ObjectMeta> obj) => Rv(obj.Metadata.ResourceVersion);

    public static long Rv(string? resourceVersion) =>
        long.TryParse(resourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var rv) ? rv : 0;

    private async Task RunAsync<T>(ResourceClient<T> client, string kind)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var ct = _stop.Token;
        var known = new Dictionary<string, T>(StringComparer.Ordinal);
        string? resourceVersion = null;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (resourceVersion is null)
                {
                    var list = await client.ListAsync(_namespace, null, ct);
                    var listRv = Rv(list.ResourceVersion);
                    foreach (var gone in known.Values.Where(o => list.Items.All(i => i.Metadata.Name != o.Metadata.Name)).ToList())
                    {
                        // Deleted while no watch ran: it was gone by the list's revision at the latest.
                        Record(new ObservedEvent(listRv, kind, WatchEventType.Deleted, gone), known);
                    }

                    foreach (var item in list.Items)
                    {
                        Record(new ObservedEvent(Rv(item), kind, WatchEventType.Added, item), known);
                    }

                    resourceVersion = list.ResourceVersion;
                    Reach(kind, listRv);
                }

                await foreach (var change in client.WatchAsync(_namespace, null, resourceVersion, TimeSpan.FromMinutes(5), TimeProvider.System, ct))
                {
                    if (change.Type == WatchEventType.Error || change.Object is null)
                    {
                        resourceVersion = null;
                        break;
                    }

                    resourceVersion = change.Object.Metadata.ResourceVersion;
                    if (change.Type != WatchEventType.Bookmark)
                    {
                        Record(new ObservedEvent(Rv(change.Object), kind, change.Type, change.Object), known);
                    }

                    Reach(kind, Rv(resourceVersion));
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or k8s.Autorest.HttpOperationException or IOException)
            {
                // A dropped or refused watch: list again after a short pause, like an informer.
                resourceVersion = null;
                await Task.Delay(TimeSpan.FromMilliseconds(100), ct);
            }
        }
    }

    private void Record<T>(ObservedEvent e, Dictionary<string, T> known)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        if (e.Type == WatchEventType.Deleted)
        {
            known.Remove(e.Name);
        }
        else
        {
            known[e.Name] = (T)e.Object;
        }

        _events.Enqueue(e);
    }

    private void Reach(string kind, long rv) => _reached.AddOrUpdate(kind, rv, (_, old) => Math.Max(old, rv));
}
