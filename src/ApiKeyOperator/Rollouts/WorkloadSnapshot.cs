using k8s.Models;

namespace ApiKeyOperator.Rollouts;

/// <summary>A dependent as the cache last saw it: its pod template and its rollout verdict.</summary>
public sealed record WorkloadSnapshot(WorkloadRef Ref, V1PodTemplateSpec? Template, RolloutStatus Rollout)
{
    public bool IsRolledTo(string keyId) => RollAnnotation.IsRolledTo(Template, keyId);
}
