using System.Text.Json.Nodes;

namespace KubeSim.JsonPaths;

/// <summary>One step of a parsed JSONPath: maps each input node to the nodes it selects.</summary>
internal abstract record JsonPathStep
{
    public abstract IEnumerable<JsonNode?> Select(JsonNode? node);
}
