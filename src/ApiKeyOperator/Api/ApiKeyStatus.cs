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
    /// Last successful verification of the current key, copied from its key record so that a printer
    /// column (LAST-USED) can show it: JSONPath in printer columns cannot filter keys[] by currentKeyId.
    /// </summary>
    [JsonPropertyName("lastUsedAt")]
    public DateTime? LastUsedAt { get; set; }

    [JsonPropertyName("conditions")]
    public IList<V1Condition>? Conditions { get; set; }

    [JsonPropertyName("keys")]
    public IList<KeyRecord>? Keys { get; set; }
}
