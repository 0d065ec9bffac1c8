using System.Text.Json.Serialization;

namespace ApiKeyOperator.Api;

/// <summary>One dependent frozen into a rotation's status, with its readiness.</summary>
public sealed class RolloutTargetStatus
{
    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "";

    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    [JsonPropertyName("ready")]
    public bool Ready { get; set; }

    [JsonPropertyName("message")]
    public string? Message { get; set; }
}
