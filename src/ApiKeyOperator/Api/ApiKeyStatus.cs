using System.Text.Json.Serialization;
using k8s.Models;

namespace ApiKeyOperator.Api;

/// <summary>Observed state of an <see cref="ApiKey"/>. Carries key ids and hashes, never key material.</summary>
public sealed class ApiKeyStatus
{
    [JsonPropertyName("observedGeneration")]
    public long? ObservedGeneration { get; set; }

    [JsonPropertyName("currentKeyId")]
    public string? CurrentKeyId { get; set; }

    /// <summary>
    /// The Secret that holds the current key, as last written. Kept so that a change of
    /// <c>spec.secretName</c> can move the credential and delete the Secret the operator owned before.
    /// </summary>
    [JsonPropertyName("secretName")]
    public string? SecretName { get; set; }

    [JsonPropertyName("expiresAt")]
    public DateTime? ExpiresAt { get; set; }

    [JsonPropertyName("nextRotationAt")]
    public DateTime? NextRotationAt { get; set; }

    /// <summary>
    /// Last successful verification of any key of this ApiKey (the LAST-USED column). Written by the usage
    /// flusher with <see cref="Usage"/>, never by the ApiKey controller.
    /// </summary>
    [JsonPropertyName("lastUsedAt")]
    public DateTime? LastUsedAt { get; set; }

    /// <summary>
    /// Last use per key id, merged in by the replicas that serve reviews (at most one write per key per flush
    /// interval for the whole installation). <c>keys[].lastUsedAt</c> mirrors it as of the controller's last write.
    /// </summary>
    [JsonPropertyName("usage")]
    public IDictionary<string, KeyUsageStatus>? Usage { get; set; }

    [JsonPropertyName("conditions")]
    public IList<V1Condition>? Conditions { get; set; }

    [JsonPropertyName("keys")]
    public IList<KeyRecord>? Keys { get; set; }
}
