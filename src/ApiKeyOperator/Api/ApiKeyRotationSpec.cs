using System.Text.Json.Serialization;

namespace ApiKeyOperator.Api;

/// <summary>Desired rotation. Unset optional fields fall back to the ApiKey's <c>spec.rotation</c>.</summary>
public sealed class ApiKeyRotationSpec
{
    [JsonPropertyName("apiKeyName")]
    public string ApiKeyName { get; set; } = "";

    [JsonPropertyName("strategy")]
    public string Strategy { get; set; } = RotationStrategies.Graceful;

    [JsonPropertyName("gracePeriod")]
    public string? GracePeriod { get; set; }

    [JsonPropertyName("reason")]
    public string? Reason { get; set; }

    [JsonPropertyName("requireTraffic")]
    public bool? RequireTraffic { get; set; }

    [JsonPropertyName("trafficTimeout")]
    public string? TrafficTimeout { get; set; }
}
