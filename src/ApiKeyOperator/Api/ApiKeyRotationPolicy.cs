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

    /// <summary>Default of <c>ApiKeyRotation.spec.requireTraffic</c> (the traffic gate: wait for the new key to be used).</summary>
    [JsonPropertyName("requireTraffic")]
    public bool RequireTraffic { get; set; }

    /// <summary>
    /// How long the old key stays valid after a Graceful rotation failed (or was deleted) with both keys valid;
    /// a later successful rotation revokes it sooner.
    /// </summary>
    [JsonPropertyName("leftoverKeyLifetime")]
    public string LeftoverKeyLifetime { get; set; } = "168h";

    /// <summary>Default of <c>ApiKeyRotation.spec.trafficTimeout</c>.</summary>
    [JsonPropertyName("trafficTimeout")]
    public string TrafficTimeout { get; set; } = "1h";
}
