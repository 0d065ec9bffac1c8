using System.Text.Json.Serialization;

namespace ApiKeyOperator.Verification;

/// <summary>A Kubernetes <c>v1 Status</c> with status Failure, the error body every API server endpoint returns.</summary>
public sealed record FailureStatus(
    [property: JsonPropertyName("code")] int Code,
    [property: JsonPropertyName("reason")] string Reason,
    [property: JsonPropertyName("message")] string Message)
{
    [JsonPropertyName("kind")]
    [JsonPropertyOrder(-3)]
    public string Kind => "Status";

    [JsonPropertyName("apiVersion")]
    [JsonPropertyOrder(-2)]
    public string ApiVersion => "v1";

    [JsonPropertyName("metadata")]
    [JsonPropertyOrder(-1)]
    public IReadOnlyDictionary<string, string> Metadata => new Dictionary<string, string>();

    [JsonPropertyName("status")]
    public string Status => "Failure";
}
