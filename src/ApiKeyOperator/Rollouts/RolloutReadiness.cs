using k8s.Models;

namespace ApiKeyOperator.Rollouts;

/// <summary>
/// Readiness of a workload by the rules <c>kubectl rollout status</c> applies, so "Ready" here means what
/// a platform engineer's own check would say. Paused Deployments and OnDelete strategies fail instead of
/// waiting forever: neither will ever pick up a new template without a human.
/// </summary>
public static class RolloutReadiness
{
    public static RolloutStatus Evaluate(V1Deployment deployment)
    {
        var spec = deployment.Spec;
        var status = deployment.Status ?? new V1DeploymentStatus();
        var name = deployment.Metadata.Name;

        if (spec?.Paused == true)
        {
            return RolloutStatus.Failed("DeploymentPaused", $"Deployment {name} is paused; resume it (kubectl rollout resume) to roll the new key");
        }

        if ((status.ObservedGeneration ?? 0) < (deployment.Metadata.Generation ?? 0))
        {
            return RolloutStatus.Progressing($"waiting for Deployment {name} spec update to be observed");
        }

        var progressing = status.Conditions?.FirstOrDefault(c => c.Type == "Progressing");
        if (progressing?.Reason == "ProgressDeadlineExceeded")
        {
            return RolloutStatus.Failed("ProgressDeadlineExceeded", $"Deployment {name} exceeded its progress deadline: {progressing.Message}");
        }

        var desired = spec?.Replicas ?? 1;
        var updated = status.UpdatedReplicas ?? 0;
        if (updated < desired)
        {
            return RolloutStatus.Progressing($"Deployment {name}: {updated} of {desired} updated replicas");
        }

        if ((status.Replicas ?? 0) > updated)
        {
            return RolloutStatus.Progressing($"Deployment {name}: {status.Replicas - updated} old replicas pending termination");
        }

        var available = status.AvailableReplicas ?? 0;
        if (available < updated)
        {
            return RolloutStatus.Progressing($"Deployment {name}: {available} of {updated} updated replicas available");
        }

        return RolloutStatus.Ready($"Deployment {name}: {available} of {desired} replicas updated and available");
    }

    public static RolloutStatus Evaluate(V1StatefulSet statefulSet)
    {
        var spec = statefulSet.Spec;
        var status = statefulSet.Status ?? new V1StatefulSetStatus();
        var name = statefulSet.Metadata.Name;

        if (spec?.UpdateStrategy?.Type is { } strategy && strategy != "RollingUpdate")
        {
            return RolloutStatus.Failed("UnsupportedUpdateStrategy", $"StatefulSet {name} uses the {strategy} update strategy; only RollingUpdate rolls pods on a template change");
        }

        if ((status.ObservedGeneration ?? 0) == 0 || (statefulSet.Metadata.Generation ?? 0) > status.ObservedGeneration)
        {
            return RolloutStatus.Progressing($"waiting for StatefulSet {name} spec update to be observed");
        }

        var desired = spec?.Replicas ?? 1;
        var ready = status.ReadyReplicas ?? 0;
        if (ready < desired)
        {
            return RolloutStatus.Progressing($"StatefulSet {name}: {ready} of {desired} pods ready");
        }

        if (spec?.UpdateStrategy?.RollingUpdate?.Partition is { } partition and > 0)
        {
            var updated = status.UpdatedReplicas ?? 0;
            return updated < desired - partition
                ? RolloutStatus.Progressing($"StatefulSet {name}: {updated} of {desired - partition} pods above the partition updated")
                : RolloutStatus.Ready($"StatefulSet {name}: partitioned rollout complete ({desired - partition} pods updated)");
        }

        if (status.UpdateRevision != status.CurrentRevision)
        {
            return RolloutStatus.Progressing($"StatefulSet {name}: waiting for revision {status.UpdateRevision} to replace {status.CurrentRevision}");
        }

        return RolloutStatus.Ready($"StatefulSet {name}: {ready} of {desired} pods ready at revision {status.UpdateRevision}");
    }

    public static RolloutStatus Evaluate(V1DaemonSet daemonSet)
    {
        var spec = daemonSet.Spec;
        var status = daemonSet.Status ?? new V1DaemonSetStatus();
        var name = daemonSet.Metadata.Name;

        if (spec?.UpdateStrategy?.Type is { } strategy && strategy != "RollingUpdate")
        {
            return RolloutStatus.Failed("UnsupportedUpdateStrategy", $"DaemonSet {name} uses the {strategy} update strategy; only RollingUpdate rolls pods on a template change");
        }

        if ((status.ObservedGeneration ?? 0) < (daemonSet.Metadata.Generation ?? 0))
        {
            return RolloutStatus.Progressing($"waiting for DaemonSet {name} spec update to be observed");
        }

        var desired = status.DesiredNumberScheduled;
        var updated = status.UpdatedNumberScheduled ?? 0;
        if (updated < desired)
        {
            return RolloutStatus.Progressing($"DaemonSet {name}: {updated} of {desired} updated pods scheduled");
        }

        var available = status.NumberAvailable ?? 0;
        if (available < desired)
        {
            return RolloutStatus.Progressing($"DaemonSet {name}: {available} of {desired} updated pods available");
        }

        return RolloutStatus.Ready($"DaemonSet {name}: {available} of {desired} pods updated and available");
    }
}
