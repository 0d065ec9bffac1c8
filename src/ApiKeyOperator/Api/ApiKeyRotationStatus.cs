using System.Text.Json.Serialization;
using k8s.Models;

namespace ApiKeyOperator.Api;

/// <summary>Progress of an <see cref="ApiKeyRotation"/>, persisted before each next step.</summary>
public sealed class ApiKeyRotationStatus
{
    [JsonPropertyName("observedGeneration")]
    public long? ObservedGeneration { get; set; }

    [JsonPropertyName("phase")]
    public string? Phase { get; set; }

    [JsonPropertyName("oldKeyId")]
    public string? OldKeyId { get; set; }

    [JsonPropertyName("newKeyId")]
    public string? NewKeyId { get; set; }

    [JsonPropertyName("startedAt")]
    public DateTime? StartedAt { get; set; }

    [JsonPropertyName("rolledOutAt")]
    public DateTime? RolledOutAt { get; set; }

    [JsonPropertyName("revokeOldKeyAt")]
    public DateTime? RevokeOldKeyAt { get; set; }

    [JsonPropertyName("completedAt")]
    public DateTime? CompletedAt { get; set; }

    [JsonPropertyName("targets")]
    public IList<RolloutTargetStatus>? Targets { get; set; }

    [JsonPropertyName("conditions")]
    public IList<V1Condition>? Conditions { get; set; }

    /// <summary>
    /// Hash of the spec this rotation acts on, recorded when it is first reconciled. The spec is immutable; a
    /// rotation whose spec no longer matches is not acted on by either controller.
    /// </summary>
    [JsonPropertyName("specHash")]
    public string? SpecHash { get; set; }

    /// <summary>Emergency: the decision that every key of the ApiKey but this one is revoked (carried out by the ApiKey controller).</summary>
    [JsonPropertyName("revokeAllBut")]
    public string? RevokeAllBut { get; set; }

    /// <summary>The Emergency rotation that overtook this one, when it ended Failed with reason Superseded.</summary>
    [JsonPropertyName("supersededBy")]
    public string? SupersededBy { get; set; }

    /// <summary>Audit rows of this rotation's phase changes, until known to be in the audit trail.</summary>
    [JsonPropertyName("pendingAudit")]
    public IList<AuditRecord>? PendingAudit { get; set; }
}
