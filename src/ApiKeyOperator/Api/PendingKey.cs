using System.Text.Json.Serialization;

namespace ApiKeyOperator.Api;

/// <summary>
/// The key the operator is about to write into the Secret, persisted before that write: after a crash between
/// the Secret write and the status write, only a credential with exactly this id and hash is adopted. A key
/// planted in the Secret by anyone else matches nothing persisted and is never adopted.
/// </summary>
public sealed class PendingKey
{
    [JsonPropertyName("id")]
    public string Id { get; set; } = "";

    [JsonPropertyName("hash")]
    public string Hash { get; set; } = "";

    /// <summary>The ApiKeyRotation the key is issued for, if any.</summary>
    [JsonPropertyName("rotation")]
    public string? Rotation { get; set; }
}
