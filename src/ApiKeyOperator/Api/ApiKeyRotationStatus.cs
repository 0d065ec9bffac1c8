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
}
