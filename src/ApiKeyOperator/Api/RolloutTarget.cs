using System.Text.Json.Serialization;

namespace ApiKeyOperator.Api;

/// <summary>An explicit dependent workload in the ApiKey's namespace.</summary>
public sealed class RolloutTarget
{
    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "";

    [JsonPropertyName("name")]
    public string Name { get; set; } = "";
}
