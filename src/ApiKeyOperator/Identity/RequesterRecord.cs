using System.Text.Json;
using System.Text.Json.Serialization;

namespace ApiKeyOperator.Identity;

/// <summary>
/// What the admission webhook stamps on an ApiKey or ApiKeyRotation (annotation <see cref="Annotation"/>): who
/// created the object or made its latest spec change, bound by <see cref="Mac"/> to the object's kind, namespace,
/// name (or generateName prefix) and a hash of its spec. Only a holder of the operator's requester key can make
/// one that verifies; a copied or edited record does not (<see cref="RequesterSigner"/>).
/// </summary>
public sealed record RequesterRecord
{
    /// <summary>The annotation holding the record as JSON. Set only by the webhook (or the operator for its own objects).</summary>
    public const string Annotation = "apikeyoperator.io/requester";

    [JsonPropertyName("username")]
    public required string Username { get; init; }

    [JsonPropertyName("groups")]
    public IReadOnlyList<string> Groups { get; init; } = [];

    [JsonPropertyName("uid")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Uid { get; init; }

    /// <summary>The object's name, or <c>generateName:PREFIX</c> when the API server had not named it yet.</summary>
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    /// <summary>SHA-256 (hex) of the spec in its canonical form (<see cref="SpecHash"/>).</summary>
    [JsonPropertyName("specHash")]
    public required string SpecHash { get; init; }

    /// <summary>HMAC-SHA256 (base64) over every other field plus kind and namespace.</summary>
    [JsonPropertyName("mac")]
    public string Mac { get; init; } = "";

    public Requester ToRequester() => new(Username, Groups, Uid);

    public string ToJson() => JsonSerializer.Serialize(this);

    /// <summary>The record in <paramref name="annotations"/>, or null when absent or not a record.</summary>
    public static RequesterRecord? Read(IDictionary<string, string>? annotations)
    {
        if (annotations?.TryGetValue(Annotation, out var json) != true || string.IsNullOrEmpty(json))
        {
            return null;
        }

        try
        {
            var record = JsonSerializer.Deserialize<RequesterRecord>(json);
            return record is { Username.Length: > 0, Mac.Length: > 0 } ? record : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
