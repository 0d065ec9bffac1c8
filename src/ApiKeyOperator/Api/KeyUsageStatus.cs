using System.Text.Json.Serialization;

namespace ApiKeyOperator.Api;

/// <summary>
/// One entry of <c>ApiKey.status.usage</c>, keyed by key id. Written only by the usage flusher (a JSON merge
/// patch of this entry alone), never by the ApiKey controller, so usage and reconciles never overwrite each other.
/// </summary>
public sealed class KeyUsageStatus
{
    /// <summary>Last successful verification of the key, accurate to the flush interval (one minute by default).</summary>
    [JsonPropertyName("lastUsedAt")]
    public DateTime? LastUsedAt { get; set; }
}
