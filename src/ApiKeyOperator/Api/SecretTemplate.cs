using System.Text.Json.Serialization;

namespace ApiKeyOperator.Api;

/// <summary>Extra metadata for the Secret the operator writes (cert-manager's secretTemplate).</summary>
public sealed class SecretTemplate
{
    [JsonPropertyName("labels")]
    public IDictionary<string, string>? Labels { get; set; }

    [JsonPropertyName("annotations")]
    public IDictionary<string, string>? Annotations { get; set; }
}
