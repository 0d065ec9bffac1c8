using System.Text.Json.Nodes;

namespace KubeSim.JsonPaths;

/// <summary>Recursive descent (<c>..</c>): applies the next step to the node and every node below it.</summary>
internal sealed record RecursiveStep(JsonPathStep Next) : JsonPathStep
{
    public override IEnumerable<JsonNode?> Select(JsonNode? node) => Descendants(node).SelectMany(Next.Select);

    private static IEnumerable<JsonNode?> Descendants(JsonNode? node)
    {
        yield return node;
        IEnumerable<JsonNode?> children = node switch
        {
            JsonObject obj => obj.Select(p => p.Value),
            JsonArray array => array,
            _ => [],
        };
        foreach (var descendant in children.SelectMany(Descendants))
        {
            yield return descendant;
        }
    }
}
