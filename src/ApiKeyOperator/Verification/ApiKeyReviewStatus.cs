using System.Text.Json.Serialization;

namespace ApiKeyOperator.Verification;

/// <summary>
/// The verdict. <see cref="Authenticated"/>: the credential is a live key (Active or Retiring, not expired).
/// <see cref="Allowed"/>: authenticated and carrying every required scope.
/// </summary>
public sealed record ApiKeyReviewStatus
{
    [JsonPropertyName("authenticated")]
    public bool Authenticated { get; init; }

    [JsonPropertyName("allowed")]
    public bool Allowed { get; init; }

    [JsonPropertyName("apiKey")]
    public ApiKeyReference? ApiKey { get; init; }

    [JsonPropertyName("keyId")]
    public string? KeyId { get; init; }

    [JsonPropertyName("scopes")]
    public IReadOnlyList<string>? Scopes { get; init; }

    [JsonPropertyName("expiresAt")]
    public DateTime? ExpiresAt { get; init; }

    [JsonPropertyName("reason")]
    public ReviewReason Reason { get; init; }

    [JsonPropertyName("missingScopes")]
    public IReadOnlyList<string>? MissingScopes { get; init; }
}
