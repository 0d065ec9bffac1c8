using ApiKeyOperator.Api;
using ApiKeyOperator.Controllers.ApiKeyRotations;
using ApiKeyOperator.Identity;
using ApiKeyOperator.Rollouts;
using k8s;
using k8s.Models;

namespace ApiKeyOperator.Tests.Controllers.ApiKeyRotations;

/// <summary>An ApiKey with a current key, rotations of it and Deployments, for driving <see cref="RotationPlanner"/> step by step.</summary>
internal sealed class RotationFixture
{
    public static readonly DateTime T0 = new(2026, 11, 23, 14, 0, 0, DateTimeKind.Utc);
    public const string OldKey = "0000aaaa";
    public const string Candidate = "0000bbbb";

    public RotationFixture(Action<ApiKeySpec>? spec = null)
    {
        ApiKey = new ApiKey
        {
            Metadata = new V1ObjectMeta { Name = "svc", NamespaceProperty = "ns", Uid = "ak-uid", Generation = 1 },
            Spec = new ApiKeySpec { SecretName = "svc-key", Rotation = new ApiKeyRotationPolicy { GracePeriod = "1h" }, Rollout = new RolloutSpec { Timeout = "10m" } },
            Status = new ApiKeyStatus
            {
                CurrentKeyId = OldKey,
                Keys = [new KeyRecord { Id = OldKey, State = KeyStates.Active, Hash = "sha256:" + new string('a', 64), CreatedAt = T0.AddDays(-1), ExpiresAt = T0.AddDays(300) }],
                Conditions = [],
            },
        };
        spec?.Invoke(ApiKey.Spec);
    }

    public ApiKey? ApiKey { get; set; }

    public List<ApiKeyRotation> Rotations { get; } = [];

    public Dictionary<WorkloadRef, WorkloadSnapshot> Workloads { get; } = [];

    public HashSet<WorkloadRef> InFlight { get; } = [];

    public DateTime Now { get; set; } = T0;

    public Requester Requester { get; set; } = new("alice", [], "u1");

    public ApiKeyRotation Add(string name, string strategy = RotationStrategies.Graceful, DateTime? created = null, Action<ApiKeyRotationSpec>? spec = null)
    {
        var rotation = new ApiKeyRotation
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "ns", Uid = "uid-" + name, CreationTimestamp = created ?? Now, Generation = 1 },
            Spec = new ApiKeyRotationSpec { ApiKeyName = "svc", Strategy = strategy, Reason = "test" },
        };
        spec?.Invoke(rotation.Spec);
        Rotations.Add(rotation);
        return rotation;
    }

    public WorkloadRef Deployment(string name, RolloutStatus? rollout = null, string? rolledTo = null)
    {
        var workload = new WorkloadRef(WorkloadKinds.Deployment, name);
        Workloads[workload] = new WorkloadSnapshot(
            workload,
            new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Annotations = rolledTo is null ? null : new Dictionary<string, string> { [RollAnnotation.Name] = rolledTo } } },
            rollout ?? RolloutStatus.Ready($"Deployment {name}: 2 of 2 replicas updated and available"));
        return workload;
    }

    public RotationPlan Plan(ApiKeyRotation rotation) => RotationPlanner.Plan(new RotationObservation
    {
        Rotation = rotation,
        ApiKey = ApiKey,
        Siblings = [.. Rotations],
        Workloads = Workloads,
        Dependents = [.. Workloads.Keys.Order()],
        RollsInFlight = InFlight,
        Requester = Requester,
        CandidateKeyId = Candidate,
        Now = Now,
    });

    /// <summary>Plans and applies the status (rolls mark the workloads rolled but not Ready).</summary>
    public RotationPlan Step(ApiKeyRotation rotation)
    {
        var plan = Plan(rotation);
        if (plan.Status is { } status)
        {
            rotation.Status = KubernetesJson.Deserialize<ApiKeyRotationStatus>(KubernetesJson.Serialize(status));
        }

        foreach (var roll in plan.Rolls)
        {
            Deployment(roll.Name, RolloutStatus.Progressing($"Deployment {roll.Name}: 1 of 2 updated replicas"), rotation.Status.NewKeyId);
        }

        return plan;
    }

    /// <summary>What the ApiKey controller does when a rotation in Issuing asks for its key.</summary>
    public void IssueNewKey(ApiKeyRotation rotation)
    {
        var status = ApiKey!.Status;
        status.Keys!.Single(k => k.Id == status.CurrentKeyId).State = rotation.Spec.Strategy == RotationStrategies.Emergency ? KeyStates.Revoked : KeyStates.Retiring;
        status.Keys!.Insert(0, new KeyRecord { Id = rotation.Status.NewKeyId!, State = KeyStates.Active, Hash = "sha256:" + new string('b', 64), CreatedAt = Now, ExpiresAt = Now.AddDays(365) });
        status.CurrentKeyId = rotation.Status.NewKeyId;
    }

    public void AllReady(ApiKeyRotation rotation)
    {
        foreach (var workload in Workloads.Keys.ToList())
        {
            Deployment(workload.Name, rolledTo: rotation.Status.NewKeyId);
        }
    }

    public static V1Condition Condition(ApiKeyRotationStatus? status, string type) => Conditions.Find(status?.Conditions, type)!;
}
