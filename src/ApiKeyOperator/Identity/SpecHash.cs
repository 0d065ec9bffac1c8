using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ApiKeyOperator.Api;
using k8s;

namespace ApiKeyOperator.Identity;

/// <summary>
/// A hash of an object's spec that the webhook (which sees request JSON, possibly before the API server's
/// defaulting) and the controllers (which see typed objects from the cache) compute alike: the spec is read into
/// the operator's own types, whose defaults equal the CRD's, written back and hashed with sorted keys.
/// </summary>
public static class SpecHash
{
    /// <summary>The hash of <paramref name="spec"/> (JSON of the spec field) for <paramref name="kind"/>; null for other kinds.</summary>
    public static string? OfJson(string kind, JsonNode? spec) => kind switch
    {
        ApiKey.KubeKind => Of(KubernetesJson.Deserialize<ApiKeySpec>(spec?.ToJsonString() ?? "{}")),
        ApiKeyRotation.KubeKind => Of(KubernetesJson.Deserialize<ApiKeyRotationSpec>(spec?.ToJsonString() ?? "{}")),
        _ => null,
    };

    /// <summary>The hash of a typed spec.</summary>
    public static string Of<T>(T? spec)
    {
        var node = JsonNode.Parse(KubernetesJson.Serialize(spec));
        var canonical = Canonical(node)?.ToJsonString() ?? "null";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    private static JsonNode? Canonical(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj
            .Where(p => p.Value is not null)
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Canonical(p.Value)))),
        JsonArray array => new JsonArray([.. array.Select(Canonical)]),
        JsonValue value => JsonNode.Parse(value.ToJsonString()),
        _ => null,
    };
}
