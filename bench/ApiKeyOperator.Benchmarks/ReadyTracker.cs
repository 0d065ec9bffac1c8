using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using ApiKeyOperator.Api;
using KubeSim;

namespace ApiKeyOperator.Benchmarks;

/// <summary>
/// Counts ApiKeys that are Ready with a current key, from KubeSim's in-process subscription: no API request, so
/// watching progress does not disturb the request log or the server.
/// </summary>
public sealed class ReadyTracker : IDisposable
{
    private readonly ConcurrentDictionary<string, byte> _ready = new(StringComparer.Ordinal);
    private readonly IDisposable _subscription;
    private readonly int _expected;
    private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ReadyTracker(KubeSimServer sim, int expected)
    {
        ArgumentNullException.ThrowIfNull(sim);
        _expected = expected;
        _subscription = sim.Subscribe(new ResourceId(ApiGroup.Name, ApiGroup.Version, "apikeys"), OnChange);
    }

    public int Ready => _ready.Count;

    /// <summary>Completes once every expected ApiKey has been seen Ready.</summary>
    public Task AllReady => _all.Task;

    public void Dispose() => _subscription.Dispose();

    private void OnChange(WatchEvent change)
    {
        var metadata = change.Object["metadata"];
        var key = $"{metadata?["namespace"]}/{metadata?["name"]}";
        if (change.Type != "DELETED" && IsReady(change.Object))
        {
            _ready.TryAdd(key, 0);
        }
        else
        {
            _ready.TryRemove(key, out _);
        }

        if (_ready.Count >= _expected)
        {
            _all.TrySetResult();
        }
    }

    private static bool IsReady(JsonObject apiKey) =>
        apiKey["status"]?["currentKeyId"] is not null
        && apiKey["status"]?["conditions"] is JsonArray conditions
        && conditions.Any(c => c?["type"]?.GetValue<string>() == ConditionTypes.Ready && c["status"]?.GetValue<string>() == ConditionStatuses.True);
}
