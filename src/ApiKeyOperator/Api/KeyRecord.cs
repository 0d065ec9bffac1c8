using System.Text.Json.Serialization;

namespace ApiKeyOperator.Api;

/// <summary>One key of an ApiKey's history in status: public id, state, hash and times.</summary>
public sealed class KeyRecord
{
    [JsonPropertyName("id")]
    public string Id { get; set; } = "";

    [JsonPropertyName("state")]
    public string State { get; set; } = KeyStates.Active;

    [JsonPropertyName("hash")]
    public string Hash { get; set; } = "";

    [JsonPropertyName("scopes")]
    public IList<string>? Scopes { get; set; }

    [JsonPropertyName("createdAt")]
    public DateTime? CreatedAt { get; set; }

    [JsonPropertyName("expiresAt")]
    public DateTime? ExpiresAt { get; set; }

    /// <summary>When a Retiring key is due to be revoked (end of the rotation's grace period).</summary>
    [JsonPropertyName("revokeAt")]
    public DateTime? RevokeAt { get; set; }

    [JsonPropertyName("revokedAt")]
    public DateTime? RevokedAt { get; set; }

    /// <summary>Mirror of <c>status.usage[id].lastUsedAt</c>, copied whenever the controller writes status anyway.</summary>
    [JsonPropertyName("lastUsedAt")]
    public DateTime? LastUsedAt { get; set; }
}
