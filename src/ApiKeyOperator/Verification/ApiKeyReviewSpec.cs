using System.Text.Json.Serialization;

namespace ApiKeyOperator.Verification;

/// <summary>
/// What the provider presents: either <see cref="Key"/> (Token format), <see cref="ClientId"/> plus
/// <see cref="ClientSecret"/> (ClientCredentials format), or an access token in <see cref="Token"/>. <see cref="ToString"/> never prints the secrets.
/// </summary>
public sealed record ApiKeyReviewSpec
{
    [JsonPropertyName("key")]
    public string? Key { get; init; }

    [JsonPropertyName("clientId")]
    public string? ClientId { get; init; }

    [JsonPropertyName("clientSecret")]
    public string? ClientSecret { get; init; }

    /// <summary>An access token from <c>/oauth2/token</c>, instead of a key or client credentials.</summary>
    [JsonPropertyName("token")]
    public string? Token { get; init; }

    [JsonPropertyName("requiredScopes")]
    public IReadOnlyList<string>? RequiredScopes { get; init; }

    /// <summary>The spec as it may be echoed back: the public parts only, key and secret removed.</summary>
    public ApiKeyReviewSpec WithoutSecrets() => this with { Key = null, ClientSecret = null, Token = null };

    public override string ToString() =>
        $"ApiKeyReviewSpec {{ ClientId = {ClientId}, RequiredScopes = [{string.Join(", ", RequiredScopes ?? [])}] }}";
}
