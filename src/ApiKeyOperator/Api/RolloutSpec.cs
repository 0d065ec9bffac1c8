using System.Text.Json.Serialization;

namespace ApiKeyOperator.Api;

/// <summary><c>ApiKey.spec.rollout</c>: which workloads depend on the Secret and how long they may take.</summary>
public sealed class RolloutSpec
{
    [JsonPropertyName("autoDiscover")]
    public bool AutoDiscover { get; set; } = true;

    [JsonPropertyName("targets")]
    public IList<RolloutTarget>? Targets { get; set; }

    [JsonPropertyName("timeout")]
    public string Timeout { get; set; } = "10m";
}
