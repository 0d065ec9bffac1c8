using ApiKeyOperator.Api;
using ApiKeyOperator.Rollouts;

namespace ApiKeyOperator.Controllers.ApiKeyRotations;

/// <summary>
/// One reconcile of a rotation: the status to write (null: none), the workloads to roll after it, Events on the
/// rotation and on its ApiKey, and when to look again. Audit rows are inside <see cref="Status"/> (pendingAudit).
/// </summary>
public sealed record RotationPlan
{
    public ApiKeyRotationStatus? Status { get; init; }

    /// <summary>Rolled after the status write; only ever workloads frozen in a persisted status.</summary>
    public IReadOnlyList<WorkloadRef> Rolls { get; init; } = [];

    public IReadOnlyList<PlannedEvent> Events { get; init; } = [];

    public IReadOnlyList<PlannedEvent> ApiKeyEvents { get; init; } = [];

    /// <summary>The audit rows this plan adds to status (also in <see cref="Status"/>).</summary>
    public IReadOnlyList<PlannedAudit> Audit { get; init; } = [];

    /// <summary>"succeeded" or "failed" when this plan's write finishes the rotation (for the rotations metric).</summary>
    public string? Finished { get; init; }

    public TimeSpan? RequeueAfter { get; init; }
}
