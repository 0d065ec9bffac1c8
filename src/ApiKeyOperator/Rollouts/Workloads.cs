using System.Collections.Concurrent;
using ApiKeyOperator.Api;
using ApiKeyOperator.Runtime;
using k8s.Models;

namespace ApiKeyOperator.Rollouts;

/// <summary>
/// The three workload kinds behind one face: discovery and readiness read the informer caches; rolling is
/// the one write, a merge patch of the pod-template annotation.
/// </summary>
public sealed class Workloads(
    IObjectCache<V1Deployment> deployments,
    IObjectCache<V1StatefulSet> statefulSets,
    IObjectCache<V1DaemonSet> daemonSets,
    IResourceClient<V1Deployment> deploymentClient,
    IResourceClient<V1StatefulSet> statefulSetClient,
    IResourceClient<V1DaemonSet> daemonSetClient)
{
    // The last roll this process made of each workload, until the cache shows a newer version of it.
    private readonly ConcurrentDictionary<(ObjectKey Key, string Kind), Roll> _rolls = new();

    public IReadOnlyList<WorkloadRef> Discover(string namespaceName, string secretName, bool autoDiscover, IEnumerable<WorkloadRef> explicitTargets) =>
        DependentDiscovery.Discover(
            secretName,
            autoDiscover,
            explicitTargets,
            deployments.List(namespaceName),
            statefulSets.List(namespaceName),
            daemonSets.List(namespaceName));

    /// <summary>The workload as cached, or null when it does not exist (or is being deleted).</summary>
    public WorkloadSnapshot? Get(string namespaceName, WorkloadRef workload)
    {
        var key = new ObjectKey(namespaceName, workload.Name);
        return workload.Kind switch
        {
            WorkloadKinds.Deployment => Snapshot(deployments.Get(key), workload, d => d.Spec?.Template, RolloutReadiness.Evaluate),
            WorkloadKinds.StatefulSet => Snapshot(statefulSets.Get(key), workload, s => s.Spec?.Template, RolloutReadiness.Evaluate),
            WorkloadKinds.DaemonSet => Snapshot(daemonSets.Get(key), workload, d => d.Spec?.Template, RolloutReadiness.Evaluate),
            _ => null,
        };
    }

    /// <summary>
    /// Sets the roll annotation to <paramref name="keyId"/>, which makes the workload's controller replace its
    /// pods. The patch is bound to the cached resourceVersion: a cache that has not yet seen an earlier roll
    /// (the caller judged "not rolled" from it) gets a conflict and a retry instead of patching a second time.
    /// </summary>
    public async Task RollAsync(string namespaceName, WorkloadRef workload, string keyId, CancellationToken cancellationToken)
    {
        var key = new ObjectKey(namespaceName, workload.Name);
        var cached = CachedVersion(key, workload);
        var patch = RollAnnotation.MergePatch(keyId, cached);
        await (workload.Kind switch
        {
            WorkloadKinds.Deployment => (Task)deploymentClient.PatchAsync(key, patch, cancellationToken),
            WorkloadKinds.StatefulSet => statefulSetClient.PatchAsync(key, patch, cancellationToken),
            WorkloadKinds.DaemonSet => daemonSetClient.PatchAsync(key, patch, cancellationToken),
            _ => throw new ArgumentException($"unsupported workload kind {workload.Kind}", nameof(workload)),
        });
        _rolls[(key, workload.Kind)] = new Roll(keyId, cached);
    }

    /// <summary>
    /// Whether this process rolled the workload to <paramref name="keyId"/> and the cache still holds the version
    /// from before that patch: the watch event is on its way, so the workload must be neither patched again nor
    /// judged from the stale copy.
    /// </summary>
    public bool IsRollInFlight(string namespaceName, WorkloadRef workload, string keyId)
    {
        var key = new ObjectKey(namespaceName, workload.Name);
        return _rolls.TryGetValue((key, workload.Kind), out var roll) && roll.KeyId == keyId && roll.FromVersion == CachedVersion(key, workload);
    }

    private string? CachedVersion(ObjectKey key, WorkloadRef workload) => workload.Kind switch
    {
        WorkloadKinds.Deployment => deployments.Get(key)?.Metadata.ResourceVersion,
        WorkloadKinds.StatefulSet => statefulSets.Get(key)?.Metadata.ResourceVersion,
        WorkloadKinds.DaemonSet => daemonSets.Get(key)?.Metadata.ResourceVersion,
        _ => null,
    };

    private static WorkloadSnapshot? Snapshot<T>(T? obj, WorkloadRef workload, Func<T, V1PodTemplateSpec?> template, Func<T, RolloutStatus> evaluate)
        where T : class, k8s.IKubernetesObject<V1ObjectMeta> =>
        obj is null || obj.Metadata.DeletionTimestamp is not null ? null : new WorkloadSnapshot(workload, template(obj), evaluate(obj));
}
