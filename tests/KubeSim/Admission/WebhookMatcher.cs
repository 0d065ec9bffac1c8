using System.Text.Json.Nodes;
using KubeSim.Selectors;

namespace KubeSim;

/// <summary>
/// Whether a webhook is called for a request, as kube-apiserver decides it: rules (operations, apiGroups,
/// apiVersions, resources with subresources and wildcards, scope), namespaceSelector and objectSelector.
/// matchPolicy Equivalent is treated as Exact (KubeSim serves one version per built-in resource).
/// </summary>
internal static class WebhookMatcher
{
    public static bool Matches(JsonObject webhook, AdmissionAttributes request, IReadOnlyDictionary<string, string>? namespaceLabels)
    {
        var rules = (webhook["rules"] as JsonArray ?? []).OfType<JsonObject>();
        return rules.Any(rule => RuleMatches(rule, request))
            && NamespaceMatches(webhook["namespaceSelector"], request, namespaceLabels)
            && ObjectMatches(webhook["objectSelector"], request);
    }

    public static bool RuleMatches(JsonObject rule, AdmissionAttributes request)
    {
        var def = request.Definition;
        var operations = Strings(rule["operations"]);
        if (!operations.Contains("*") && !operations.Contains(request.OperationName))
        {
            return false;
        }

        if (!Wild(rule["apiGroups"], def.Group) || !Wild(rule["apiVersions"], def.Version))
        {
            return false;
        }

        var scope = Text(rule["scope"]) ?? "*";
        if ((scope == "Cluster" && def.Namespaced) || (scope == "Namespaced" && !def.Namespaced))
        {
            return false;
        }

        var sub = request.Subresource;
        return Strings(rule["resources"]).Any(r => r switch
        {
            "*/*" => true,
            "*" => sub is null,
            _ when r == def.Plural => sub is null,
            _ when sub is not null && (r == $"{def.Plural}/{sub}" || r == $"{def.Plural}/*" || r == $"*/{sub}") => true,
            _ => false,
        });
    }

    private static bool NamespaceMatches(JsonNode? selector, AdmissionAttributes request, IReadOnlyDictionary<string, string>? namespaceLabels)
    {
        if (request.Definition.Group.Length == 0 && request.Definition.Plural == "namespaces")
        {
            // A Namespace is matched by its own labels.
            return SelectorMatches(selector, Labels(request.Object ?? request.OldObject));
        }

        // Cluster-scoped objects other than namespaces are never filtered by namespaceSelector.
        return !request.Definition.Namespaced || SelectorMatches(selector, namespaceLabels ?? new Dictionary<string, string>());
    }

    // Either the new or the old object matching is enough (a label removed by the request still matches).
    private static bool ObjectMatches(JsonNode? selector, AdmissionAttributes request) =>
        (request.Object is not null && SelectorMatches(selector, Labels(request.Object)))
        || (request.OldObject is not null && SelectorMatches(selector, Labels(request.OldObject)));

    /// <summary>A metav1.LabelSelector; an absent or empty one selects everything.</summary>
    public static bool SelectorMatches(JsonNode? selector, IReadOnlyDictionary<string, string> labels)
    {
        var requirements = new List<LabelRequirement>();
        if (selector?["matchLabels"] is JsonObject matchLabels)
        {
            requirements.AddRange(matchLabels.Select(p => new LabelRequirement(p.Key, SelectorOperator.Equals, [Text(p.Value) ?? ""])));
        }

        foreach (var expression in (selector?["matchExpressions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var op = Text(expression["operator"]) switch
            {
                "In" => SelectorOperator.In,
                "NotIn" => SelectorOperator.NotIn,
                "Exists" => SelectorOperator.Exists,
                "DoesNotExist" => SelectorOperator.DoesNotExist,
                var other => throw StatusErrors.Internal($"invalid label selector operator {other}"),
            };
            requirements.Add(new LabelRequirement(Text(expression["key"]) ?? "", op, Strings(expression["values"])));
        }

        return requirements.All(r => r.Matches(labels));
    }

    private static Dictionary<string, string> Labels(JsonObject? obj) =>
        obj is null ? [] : ObjectMeta.Labels(obj).ToDictionary(StringComparer.Ordinal);

    private static bool Wild(JsonNode? node, string value)
    {
        var values = Strings(node);
        return values.Contains("*") || values.Contains(value);
    }

    private static List<string> Strings(JsonNode? node) => node is JsonArray a ? [.. a.Select(Text).OfType<string>()] : [];

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
