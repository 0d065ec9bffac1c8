using System.Diagnostics;
using ApiKeyOperator.Api;
using ApiKeyOperator.Rollouts;
using k8s;
using k8s.Models;
using KubeSim;

namespace ApiKeyOperator.Benchmarks;

/// <summary>
/// Watches one rotation through KubeSim's in-process subscriptions (no API request, so the request log holds
/// only the operator's calls): when each Deployment of the namespace was first Ready on the new key, and when
/// the rotation left RollingOut.
/// </summary>
public sealed class RotationWatch : IDisposable
{
    private readonly Lock _gate = new();
    private readonly string _namespace;
    private readonly string _rotation;
    private readonly Dictionary<string, long> _readyAt = new(StringComparer.Ordinal);
    private readonly List<IDisposable> _subscriptions = [];
    private readonly TaskCompletionSource _succeeded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string? _newKeyId;
    private long? _advancedAt;

    public RotationWatch(KubeSimServer sim, string namespaceName, string rotationName)
    {
        ArgumentNullException.ThrowIfNull(sim);
        _namespace = namespaceName;
        _rotation = rotationName;
        _subscriptions.Add(sim.Subscribe(new ResourceId("apps", "v1", "deployments"), OnDeployment));
        _subscriptions.Add(sim.Subscribe(new ResourceId(ApiGroup.Name, ApiGroup.Version, ApiKeyRotation.KubePlural), OnRotation));
    }

    public Task Succeeded => _succeeded.Task;

    /// <summary>From the last Deployment becoming Ready on the new key to the rotation leaving RollingOut.</summary>
    public TimeSpan AdvanceDelay(int targets)
    {
        lock (_gate)
        {
            if (_readyAt.Count != targets || _advancedAt is not { } advanced)
            {
                throw new InvalidOperationException($"saw {_readyAt.Count} of {targets} targets Ready, rotation advanced: {_advancedAt is not null}");
            }

            return Stopwatch.GetElapsedTime(_readyAt.Values.Max(), advanced);
        }
    }

    public void Dispose()
    {
        foreach (var subscription in _subscriptions)
        {
            subscription.Dispose();
        }
    }

    private void OnDeployment(KubeSim.WatchEvent change)
    {
        var now = Stopwatch.GetTimestamp();
        if (change.Type == "DELETED" || change.Object["metadata"]?["namespace"]?.GetValue<string>() != _namespace)
        {
            return;
        }

        var deployment = KubernetesJson.Deserialize<V1Deployment>(change.Object.ToJsonString());
        lock (_gate)
        {
            if (_newKeyId is { } keyId && RollAnnotation.IsRolledTo(deployment.Spec.Template, keyId) && RolloutReadiness.Evaluate(deployment).IsReady)
            {
                _readyAt.TryAdd(deployment.Metadata.Name, now);
            }
        }
    }

    private void OnRotation(KubeSim.WatchEvent change)
    {
        var now = Stopwatch.GetTimestamp();
        if (change.Object["metadata"]?["namespace"]?.GetValue<string>() != _namespace || change.Object["metadata"]?["name"]?.GetValue<string>() != _rotation)
        {
            return;
        }

        var status = change.Object["status"];
        var phase = status?["phase"]?.GetValue<string>();
        lock (_gate)
        {
            _newKeyId ??= status?["newKeyId"]?.GetValue<string>();
            if (phase is RotationPhases.GracePeriod or RotationPhases.Succeeded)
            {
                _advancedAt ??= now;
            }
        }

        if (phase == RotationPhases.Succeeded)
        {
            _succeeded.TrySetResult();
        }
        else if (phase == RotationPhases.Failed)
        {
            _succeeded.TrySetException(new InvalidOperationException($"rotation {_rotation} failed: {status}"));
        }
    }
}
