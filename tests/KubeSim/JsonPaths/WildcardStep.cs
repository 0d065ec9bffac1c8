using System.Text.Json.Nodes;

namespace KubeSim.JsonPaths;

/// <summary>Selects every member of an object or every item of an array (<c>*</c>, <c>[*]</c>).</summary>
internal sealed record WildcardStep : JsonPathStep
{
    public override IEnumerable<JsonNode?> Select(JsonNode? node) => node switch
    {
        JsonObject obj => obj.Select(p => p.Value),
        JsonArray array => array,
        _ => [],
    };
}
