using System.Text.Json.Serialization;

namespace ApiKeyOperator.Api;

/// <summary><c>ApiKey.spec.rotation</c>: schedule and defaults for this key's rotations.</summary>
public sealed class ApiKeyRotationPolicy
{
    [JsonPropertyName("every")]
    public string? Every { get; set; }

    [JsonPropertyName("gracePeriod")]
    public string? GracePeriod { get; set; }

    [JsonPropertyName("historyLimit")]
    public int HistoryLimit { get; set; } = 5;

    /// <summary>Default of <c>ApiKeyRotation.spec.requireTraffic</c> (the traffic gate of the verification issue).</summary>
    [JsonPropertyName("requireTraffic")]
    public bool RequireTraffic { get; set; }

    /// <summary>Default of <c>ApiKeyRotation.spec.trafficTimeout</c>.</summary>
    [JsonPropertyName("trafficTimeout")]
    public string TrafficTimeout { get; set; } = "1h";
}
