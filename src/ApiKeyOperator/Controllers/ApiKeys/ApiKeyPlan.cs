using ApiKeyOperator.Api;
using ApiKeyOperator.Runtime;
using k8s.Models;

namespace ApiKeyOperator.Controllers.ApiKeys;

/// <summary>
/// The writes one reconcile of an ApiKey makes, in order: the pending key (persisted before a new credential is
/// written), the Secret, the deletion of a Secret left behind by a move, the status (carrying the audit rows of
/// what it records), Events, the audit rows, then scheduled rotations (creation, pruning).
/// </summary>
public sealed record ApiKeyPlan
{
    /// <summary>Status to write before <see cref="SecretWrite"/>: the current status plus <c>pendingKey</c> (id and hash of the new credential).</summary>
    public ApiKeyStatus? PendingStatus { get; init; }

    public V1Secret? SecretWrite { get; init; }

    public SecretWriteKind SecretWriteKind { get; init; }

    public ObjectKey? SecretToDelete { get; init; }

    public required ApiKeyStatus Status { get; init; }

    public bool StatusChanged { get; init; }

    public IReadOnlyList<PlannedEvent> Events { get; init; } = [];

    /// <summary>Audit rows this plan adds (also in <see cref="Status"/>'s pendingAudit, from where they are recorded).</summary>
    public IReadOnlyList<PlannedAudit> Audit { get; init; } = [];

    /// <summary>Id of a key this plan issues (for logs; the value itself is only in <see cref="SecretWrite"/>).</summary>
    public string? IssuedKeyId { get; init; }

    /// <summary>The next moment something happens by itself (an expiry, a revocation); null when none.</summary>
    public DateTime? NextDeadline { get; init; }

    /// <summary>An ApiKeyRotation to create (after the status write): scheduled, or restoring a lost Secret.</summary>
    public ApiKeyRotation? RotationToCreate { get; init; }

    /// <summary>Finished scheduled rotations beyond <c>spec.rotation.historyLimit</c>, to delete.</summary>
    public IReadOnlyList<ObjectKey> RotationsToDelete { get; init; } = [];

    public bool HasWrites =>
        PendingStatus is not null || SecretWrite is not null || SecretToDelete is not null || StatusChanged || RotationToCreate is not null || RotationsToDelete.Count > 0;
}
