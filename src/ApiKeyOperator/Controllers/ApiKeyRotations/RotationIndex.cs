using System.Collections.Concurrent;
using ApiKeyOperator.Api;
using ApiKeyOperator.Rollouts;
using ApiKeyOperator.Runtime;

namespace ApiKeyOperator.Controllers.ApiKeyRotations;

/// <summary>
/// Which rotations care about which ApiKey and which workloads, so that a change of either wakes exactly
/// those rotations (watch-driven, no polling). Rebuilt from status by reconciling: every rotation is
/// reconciled once when the caches first sync, and records itself here.
/// </summary>
public sealed class RotationIndex
{
    private readonly ConcurrentDictionary<ObjectKey, Entry> _entries = new();

    public void Record(ApiKeyRotation rotation)
    {
        var key = ObjectKey.Of(rotation);
        if (RotationPhases.IsFinished(rotation.Status?.Phase) || rotation.Metadata.DeletionTimestamp is not null)
        {
            _entries.TryRemove(key, out _);
            return;
        }

        var targets = (rotation.Status?.Targets ?? []).Select(t => new WorkloadRef(t.Kind, t.Name)).ToHashSet();
        _entries[key] = new Entry(rotation.Spec.ApiKeyName, targets);
    }

    public void Forget(ObjectKey rotation) => _entries.TryRemove(rotation, out _);

    /// <summary>Unfinished rotations of one ApiKey.</summary>
    public IEnumerable<ObjectKey> ForApiKey(string? namespaceName, string apiKeyName) =>
        _entries.Where(e => e.Key.Namespace == namespaceName && e.Value.ApiKeyName == apiKeyName).Select(e => e.Key);

    /// <summary>Unfinished rotations that roll the given workload.</summary>
    public IEnumerable<ObjectKey> ForWorkload(string? namespaceName, WorkloadRef workload) =>
        _entries.Where(e => e.Key.Namespace == namespaceName && e.Value.Targets.Contains(workload)).Select(e => e.Key);

    private sealed record Entry(string ApiKeyName, IReadOnlySet<WorkloadRef> Targets);
}
