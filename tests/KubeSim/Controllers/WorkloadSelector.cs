using System.Text.Json.Nodes;
using KubeSim.Selectors;

namespace KubeSim.Controllers;

/// <summary>Evaluates a workload's <c>spec.selector</c> (matchLabels and matchExpressions) against an object's labels.</summary>
internal static class WorkloadSelector
{
    /// <summary>True when the selector has at least one requirement and the object's labels meet all of them.</summary>
    public static bool Matches(JsonNode? selector, JsonObject obj)
    {
        var requirements = Requirements(selector);
        if (requirements.Count == 0)
        {
            // An empty selector would claim every object in the namespace; never adopt with it.
            return false;
        }

        var labels = obj["metadata"]?["labels"] is JsonObject map
            ? map.Where(p => WorkloadObjects.Text(p.Value) is not null).ToDictionary(p => p.Key, p => WorkloadObjects.Text(p.Value)!, StringComparer.Ordinal)
            : new Dictionary<string, string>();
        return requirements.All(r => r.Matches(labels));
    }

    private static List<LabelRequirement> Requirements(JsonNode? selector)
    {
        var result = new List<LabelRequirement>();
        if (selector?["matchLabels"] is JsonObject matchLabels)
        {
            result.AddRange(matchLabels.Select(p => new LabelRequirement(p.Key, SelectorOperator.Equals, [WorkloadObjects.Text(p.Value) ?? string.Empty])));
        }

        if (selector?["matchExpressions"] is JsonArray expressions)
        {
            foreach (var expression in expressions.OfType<JsonObject>())
            {
                var values = expression["values"] is JsonArray list ? list.Select(WorkloadObjects.Text).OfType<string>().ToList() : [];
                var op = WorkloadObjects.Text(expression["operator"]) switch
                {
                    "In" => SelectorOperator.In,
                    "NotIn" => SelectorOperator.NotIn,
                    "Exists" => SelectorOperator.Exists,
                    _ => SelectorOperator.DoesNotExist,
                };
                result.Add(new LabelRequirement(WorkloadObjects.Text(expression["key"]) ?? string.Empty, op, values));
            }
        }

        return result;
    }
}
