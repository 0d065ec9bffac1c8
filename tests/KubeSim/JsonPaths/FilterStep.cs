using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KubeSim.JsonPaths;

/// <summary>
/// A filter <c>[?(@.path op literal)]</c> or existence test <c>[?(@.path)]</c> over the items of an array
/// (or a single object, as kubectl allows).
/// </summary>
internal sealed record FilterStep(IReadOnlyList<JsonPathStep> Left, string? Operator, JsonNode? Right) : JsonPathStep
{
    public override IEnumerable<JsonNode?> Select(JsonNode? node)
    {
        IEnumerable<JsonNode?> candidates = node switch
        {
            JsonArray array => array,
            JsonObject => [node],
            _ => [],
        };
        return candidates.Where(Matches);
    }

    private bool Matches(JsonNode? candidate)
    {
        var values = JsonPathExpression.Run(Left, candidate);
        if (Operator is null)
        {
            return values.Count > 0;
        }

        return values.Any(value => Compare(value));
    }

    private bool Compare(JsonNode? value)
    {
        if (Operator is "==" or "!=")
        {
            var equal = JsonNode.DeepEquals(value, Right) || (AsNumber(value) is { } a && AsNumber(Right) is { } b && a == b);
            return Operator == "==" ? equal : !equal;
        }

        if (AsNumber(value) is not { } left || AsNumber(Right) is not { } right)
        {
            return false;
        }

        return Operator switch
        {
            "<" => left < right,
            "<=" => left <= right,
            ">" => left > right,
            _ => left >= right,
        };
    }

    private static decimal? AsNumber(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            ? decimal.Parse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture)
            : null;
}
