using System.Text.Json.Nodes;

namespace KubeSim.Controllers;

/// <summary>Serialises JSON with object keys sorted (ordinal) at every level, so equal content hashes equally.</summary>
internal static class CanonicalJson
{
    public static string Serialize(JsonNode? node) => Sorted(node)?.ToJsonString() ?? "null";

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value)))),
        JsonArray array => new JsonArray([.. array.Select(Sorted)]),
        _ => node?.DeepClone(),
    };
}
