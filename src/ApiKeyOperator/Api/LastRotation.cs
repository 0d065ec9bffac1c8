using System.Text.Json.Serialization;

namespace ApiKeyOperator.Api;

/// <summary>The ApiKey's most recent ApiKeyRotation and its phase (the ROTATION column).</summary>
public sealed class LastRotation
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    [JsonPropertyName("phase")]
    public string? Phase { get; set; }
}
