using System.Collections.Concurrent;
using ApiKeyOperator.Api;
using ApiKeyOperator.Rollouts;
using ApiKeyOperator.Runtime;

namespace ApiKeyOperator.Controllers.ApiKeyRotations;

/// <summary>
/// Which unfinished rotations exist per ApiKey and which workloads they roll, so that a change wakes exactly the
/// rotations that must act (watch-driven, no polling): the running ones, the Emergency ones and the head of the
/// waiting queue, never every waiting rotation. Rebuilt by reconciling: every rotation is reconciled once when the
/// caches first sync, and records itself here.
/// </summary>
public sealed class RotationIndex
{
    private readonly ConcurrentDictionary<(string? Namespace, string ApiKey), ConcurrentDictionary<ObjectKey, Entry>> _byApiKey = new();
    private readonly ConcurrentDictionary<ObjectKey, Entry> _entries = new();

    public void Record(ApiKeyRotation rotation)
    {
        var key = ObjectKey.Of(rotation);
        if (!RotationQueue.IsUnfinished(rotation))
        {
            Forget(key);
            return;
        }

        var entry = new Entry(
            rotation.Metadata.NamespaceProperty,
            rotation.Spec.ApiKeyName,
            (rotation.Status?.Targets ?? []).Select(t => new WorkloadRef(t.Kind, t.Name)).ToHashSet(),
            RotationQueue.IsRunning(rotation),
            RotationQueue.IsEmergency(rotation),
            rotation.Metadata.CreationTimestamp ?? DateTime.MaxValue,
            rotation.Metadata.Name);
        if (_entries.TryGetValue(key, out var previous) && previous.ApiKeyName != entry.ApiKeyName)
        {
            Group(previous).TryRemove(key, out _);
        }

        _entries[key] = entry;
        Group(entry)[key] = entry;
    }

    public void Forget(ObjectKey rotation)
    {
        if (_entries.TryRemove(rotation, out var entry))
        {
            Group(entry).TryRemove(rotation, out _);
        }
    }

    /// <summary>The rotations of one ApiKey that must act on a change: running, Emergency, and the next in line.</summary>
    public IEnumerable<ObjectKey> Acting(string? namespaceName, string apiKeyName)
    {
        if (!_byApiKey.TryGetValue((namespaceName, apiKeyName), out var group))
        {
            return [];
        }

        var acting = new List<ObjectKey>();
        KeyValuePair<ObjectKey, Entry>? next = null;
        foreach (var pair in group)
        {
            if (pair.Value.Running || pair.Value.Emergency)
            {
                acting.Add(pair.Key);
            }
            else if (next is null || Earlier(pair.Value, next.Value.Value))
            {
                next = pair;
            }
        }

        if (next is { } head)
        {
            acting.Add(head.Key);
        }

        return acting;
    }

    /// <summary>Unfinished rotations of one ApiKey (all of them).</summary>
    public IEnumerable<ObjectKey> ForApiKey(string? namespaceName, string apiKeyName) =>
        _byApiKey.TryGetValue((namespaceName, apiKeyName), out var group) ? [.. group.Keys] : [];

    /// <summary>Unfinished rotations that roll the given workload.</summary>
    public IEnumerable<ObjectKey> ForWorkload(string? namespaceName, WorkloadRef workload) =>
        _entries.Where(e => e.Key.Namespace == namespaceName && e.Value.Targets.Contains(workload)).Select(e => e.Key);

    private ConcurrentDictionary<ObjectKey, Entry> Group(Entry entry) =>
        _byApiKey.GetOrAdd((entry.Namespace, entry.ApiKeyName), _ => new ConcurrentDictionary<ObjectKey, Entry>());

    private static bool Earlier(Entry a, Entry b) =>
        a.CreatedAt != b.CreatedAt ? a.CreatedAt < b.CreatedAt : string.CompareOrdinal(a.Name, b.Name) < 0;

    private sealed record Entry(
        string? Namespace, string ApiKeyName, IReadOnlySet<WorkloadRef> Targets, bool Running, bool Emergency, DateTime CreatedAt, string Name);
}
