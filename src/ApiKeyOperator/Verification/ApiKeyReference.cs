using System.Text.Json.Serialization;

namespace ApiKeyOperator.Verification;

/// <summary>The ApiKey object a verified credential belongs to.</summary>
public sealed record ApiKeyReference(
    [property: JsonPropertyName("namespace")] string Namespace,
    [property: JsonPropertyName("name")] string Name);
