using ApiKeyOperator.Rollouts;
using k8s.Models;
using Xunit;

namespace ApiKeyOperator.Tests.Rollouts;

public sealed class RolloutReadinessTests
{
    [Fact]
    public void Deployment_is_ready_only_when_observed_updated_and_available()
    {
        Assert.Equal(RolloutState.Progressing, RolloutReadiness.Evaluate(Deployment(generation: 3, observed: 2, updated: 3, total: 3, available: 3)).State);
        Assert.Equal(RolloutState.Progressing, RolloutReadiness.Evaluate(Deployment(generation: 3, observed: 3, updated: 2, total: 3, available: 3)).State);
        Assert.Equal(RolloutState.Progressing, RolloutReadiness.Evaluate(Deployment(generation: 3, observed: 3, updated: 3, total: 4, available: 3)).State);
        Assert.Equal(RolloutState.Progressing, RolloutReadiness.Evaluate(Deployment(generation: 3, observed: 3, updated: 3, total: 3, available: 2)).State);

        var ready = RolloutReadiness.Evaluate(Deployment(generation: 3, observed: 3, updated: 3, total: 3, available: 3));
        Assert.True(ready.IsReady);
        Assert.Contains("3 of 3", ready.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deployment_past_its_progress_deadline_or_paused_fails_naming_it()
    {
        var stuck = Deployment(generation: 2, observed: 2, updated: 1, total: 4, available: 3);
        stuck.Status.Conditions = [new V1DeploymentCondition { Status = "False", Type = "Progressing", Reason = "ProgressDeadlineExceeded", Message = "ReplicaSet \"web-7d\" has timed out progressing." }];
        var failed = RolloutReadiness.Evaluate(stuck);
        Assert.True(failed.IsFailed);
        Assert.Contains("Deployment web exceeded its progress deadline", failed.Message, StringComparison.Ordinal);

        var paused = Deployment(generation: 2, observed: 2, updated: 3, total: 3, available: 3);
        paused.Spec.Paused = true;
        var pausedStatus = RolloutReadiness.Evaluate(paused);
        Assert.True(pausedStatus.IsFailed);
        Assert.Contains("paused", pausedStatus.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StatefulSet_waits_for_revision_and_readiness_and_honours_partition()
    {
        var sts = StatefulSet(replicas: 3, ready: 3, current: "web-1", update: "web-2");
        Assert.Equal(RolloutState.Progressing, RolloutReadiness.Evaluate(sts).State);

        sts.Status.CurrentRevision = "web-2";
        Assert.True(RolloutReadiness.Evaluate(sts).IsReady);

        sts.Status.ReadyReplicas = 2;
        Assert.Equal(RolloutState.Progressing, RolloutReadiness.Evaluate(sts).State);

        var partitioned = StatefulSet(replicas: 4, ready: 4, current: "a", update: "b");
        partitioned.Spec.UpdateStrategy = new V1StatefulSetUpdateStrategy { Type = "RollingUpdate", RollingUpdate = new V1RollingUpdateStatefulSetStrategy { Partition = 2 } };
        partitioned.Status.UpdatedReplicas = 1;
        Assert.Equal(RolloutState.Progressing, RolloutReadiness.Evaluate(partitioned).State);
        partitioned.Status.UpdatedReplicas = 2;
        Assert.True(RolloutReadiness.Evaluate(partitioned).IsReady);

        var onDelete = StatefulSet(replicas: 1, ready: 1, current: "a", update: "a");
        onDelete.Spec.UpdateStrategy = new V1StatefulSetUpdateStrategy { Type = "OnDelete" };
        Assert.True(RolloutReadiness.Evaluate(onDelete).IsFailed);
    }

    [Fact]
    public void DaemonSet_needs_every_scheduled_pod_updated_and_available()
    {
        var ds = new V1DaemonSet
        {
            Metadata = new V1ObjectMeta { Name = "agent", Generation = 5 },
            Spec = new V1DaemonSetSpec(),
            Status = new V1DaemonSetStatus { ObservedGeneration = 5, DesiredNumberScheduled = 3, UpdatedNumberScheduled = 2, NumberAvailable = 3 },
        };
        Assert.Equal(RolloutState.Progressing, RolloutReadiness.Evaluate(ds).State);

        ds.Status.UpdatedNumberScheduled = 3;
        ds.Status.NumberAvailable = 2;
        Assert.Equal(RolloutState.Progressing, RolloutReadiness.Evaluate(ds).State);

        ds.Status.NumberAvailable = 3;
        Assert.True(RolloutReadiness.Evaluate(ds).IsReady);

        ds.Status.ObservedGeneration = 4;
        Assert.Equal(RolloutState.Progressing, RolloutReadiness.Evaluate(ds).State);
    }

    private static V1Deployment Deployment(long generation, long observed, int updated, int total, int available) => new()
    {
        Metadata = new V1ObjectMeta { Name = "web", Generation = generation },
        Spec = new V1DeploymentSpec { Replicas = 3 },
        Status = new V1DeploymentStatus { ObservedGeneration = observed, UpdatedReplicas = updated, Replicas = total, AvailableReplicas = available },
    };

    private static V1StatefulSet StatefulSet(int replicas, int ready, string current, string update) => new()
    {
        Metadata = new V1ObjectMeta { Name = "web", Generation = 2 },
        Spec = new V1StatefulSetSpec { Replicas = replicas },
        Status = new V1StatefulSetStatus { ObservedGeneration = 2, Replicas = replicas, ReadyReplicas = ready, CurrentRevision = current, UpdateRevision = update },
    };
}
