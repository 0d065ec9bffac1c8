using System.Text.Json.Nodes;

namespace KubeSim.JsonPaths;

/// <summary>Selects a named member of an object.</summary>
internal sealed record FieldStep(string Name) : JsonPathStep
{
    public override IEnumerable<JsonNode?> Select(JsonNode? node) =>
        node is JsonObject obj && obj.TryGetPropertyValue(Name, out var value) ? [value] : [];
}
