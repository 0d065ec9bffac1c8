using ApiKeyOperator.Api;
using k8s.Models;

namespace ApiKeyOperator.Rollouts;

/// <summary>
/// Finds the workloads a rotation must roll: the explicit targets plus, when auto-discovery is on, every
/// Deployment, StatefulSet and DaemonSet of the namespace whose pod template reads the Secret.
/// </summary>
public static class DependentDiscovery
{
    public static IReadOnlyList<WorkloadRef> Discover(
        string secretName,
        bool autoDiscover,
        IEnumerable<WorkloadRef> explicitTargets,
        IEnumerable<V1Deployment> deployments,
        IEnumerable<V1StatefulSet> statefulSets,
        IEnumerable<V1DaemonSet> daemonSets)
    {
        var found = new SortedSet<WorkloadRef>(explicitTargets);
        if (autoDiscover)
        {
            found.UnionWith(Referencing(deployments, WorkloadKinds.Deployment, d => d.Spec?.Template, secretName));
            found.UnionWith(Referencing(statefulSets, WorkloadKinds.StatefulSet, s => s.Spec?.Template, secretName));
            found.UnionWith(Referencing(daemonSets, WorkloadKinds.DaemonSet, d => d.Spec?.Template, secretName));
        }

        return [.. found];
    }

    private static IEnumerable<WorkloadRef> Referencing<T>(IEnumerable<T> workloads, string kind, Func<T, V1PodTemplateSpec?> template, string secretName)
        where T : k8s.IKubernetesObject<V1ObjectMeta> =>
        workloads
            .Where(w => w.Metadata.DeletionTimestamp is null && SecretReferences.References(template(w)?.Spec, secretName))
            .Select(w => new WorkloadRef(kind, w.Metadata.Name));
}
