using ApiKeyOperator.Api;
using ApiKeyOperator.Identity;
using ApiKeyOperator.Rollouts;

namespace ApiKeyOperator.Controllers.ApiKeyRotations;

/// <summary>
/// What <see cref="RotationPlanner"/> decides from: the rotation, its ApiKey, the other rotations of that ApiKey,
/// the workloads it may roll (absent = does not exist), who asked for it, and the time. Never mutated.
/// </summary>
public sealed record RotationObservation
{
    public required ApiKeyRotation Rotation { get; init; }

    public ApiKey? ApiKey { get; init; }

    /// <summary>Every rotation naming the same ApiKey (this one may be among them).</summary>
    public IReadOnlyList<ApiKeyRotation> Siblings { get; init; } = [];

    /// <summary>The workloads of the namespace the rotation may care about, by reference.</summary>
    public IReadOnlyDictionary<WorkloadRef, WorkloadSnapshot> Workloads { get; init; } = new Dictionary<WorkloadRef, WorkloadSnapshot>();

    /// <summary>The dependents of the ApiKey's Secret as discovered now (explicit targets and auto-discovered ones).</summary>
    public IReadOnlyList<WorkloadRef> Dependents { get; init; } = [];

    /// <summary>Workloads this process has already rolled to the new key but the cache does not show yet.</summary>
    public IReadOnlySet<WorkloadRef> RollsInFlight { get; init; } = new HashSet<WorkloadRef>();

    /// <summary>Who asked for this rotation (from the <see cref="IRequesterResolver"/>).</summary>
    public required Requester Requester { get; init; }

    /// <summary>A fresh key id, used if this reconcile starts the rotation.</summary>
    public required string CandidateKeyId { get; init; }

    /// <summary>Idempotency keys of audit rows known to be in the audit trail (trimmed from status at the next write).</summary>
    public IReadOnlySet<string> LandedAudit { get; init; } = new HashSet<string>();

    public required DateTime Now { get; init; }
}
