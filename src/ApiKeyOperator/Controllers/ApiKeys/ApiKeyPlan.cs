using ApiKeyOperator.Api;
using ApiKeyOperator.Runtime;
using k8s.Models;

namespace ApiKeyOperator.Controllers.ApiKeys;

/// <summary>
/// The writes one reconcile of an ApiKey makes, in order: the Secret, the deletion of a Secret left behind
/// by a move, the status (only when it differs from <see cref="BaseStatus"/>), then Events.
/// </summary>
public sealed record ApiKeyPlan
{
    public V1Secret? SecretWrite { get; init; }

    public SecretWriteKind SecretWriteKind { get; init; }

    public ObjectKey? SecretToDelete { get; init; }

    /// <summary>The status the plan was computed from; a write applies only over this exact status.</summary>
    public required ApiKeyStatus BaseStatus { get; init; }

    public required ApiKeyStatus Status { get; init; }

    public bool StatusChanged { get; init; }

    public IReadOnlyList<PlannedEvent> Events { get; init; } = [];

    /// <summary>Id of a key this plan issues (for logs; the value itself is only in <see cref="SecretWrite"/>).</summary>
    public string? IssuedKeyId { get; init; }

    /// <summary>The next moment something happens by itself (an expiry, a revocation); null when none.</summary>
    public DateTime? NextDeadline { get; init; }

    public bool HasWrites => SecretWrite is not null || SecretToDelete is not null || StatusChanged;
}
