using System.Text.Json.Serialization;

namespace ApiKeyOperator.Api;

/// <summary>Desired state of an <see cref="ApiKey"/>. Initial values are the CRD's defaults (a test keeps them equal).</summary>
public sealed class ApiKeySpec
{
    [JsonPropertyName("secretName")]
    public string SecretName { get; set; } = "";

    [JsonPropertyName("format")]
    public string Format { get; set; } = KeyFormats.Token;

    [JsonPropertyName("prefix")]
    public string Prefix { get; set; } = "ak_";

    [JsonPropertyName("scopes")]
    public IList<string>? Scopes { get; set; }

    [JsonPropertyName("validity")]
    public string Validity { get; set; } = "8760h";

    [JsonPropertyName("expiresAt")]
    public DateTime? ExpiresAt { get; set; }

    [JsonPropertyName("rotation")]
    public ApiKeyRotationPolicy Rotation { get; set; } = new();

    [JsonPropertyName("rollout")]
    public RolloutSpec Rollout { get; set; } = new();

    /// <summary>
    /// Lifetime in seconds of the access tokens <c>/oauth2/token</c> issues for this ApiKey's ClientCredentials keys;
    /// null means one hour. Between 60 and 86400 (the ceiling bounds how long a token outlives a revoked key offline).
    /// </summary>
    [JsonPropertyName("tokenLifetimeSeconds")]
    public int? TokenLifetimeSeconds { get; set; }

    [JsonPropertyName("secretTemplate")]
    public SecretTemplate? SecretTemplate { get; set; }
}
