using System.Globalization;
using System.Text.Json.Nodes;

namespace KubeSim;

/// <summary>The status conditions kube-controller-manager's namespace controller reports while a namespace terminates.</summary>
internal static class NamespaceConditions
{
    public const string SpecFinalizer = "kubernetes";

    /// <summary>The conditions for the content still in the namespace (objects and their finalizers).</summary>
    public static JsonArray For(IReadOnlyList<(ResourceDefinition Definition, JsonObject Object)> remaining, JsonArray? previous, string now)
    {
        var byResource = remaining.GroupBy(r => $"{r.Definition.Plural}.{r.Definition.Group}")
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key} has {g.Count().ToString(CultureInfo.InvariantCulture)} resource instances").ToList();
        var byFinalizer = remaining.SelectMany(r => ObjectMeta.Finalizers(r.Object)).GroupBy(f => f)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key} in {g.Count().ToString(CultureInfo.InvariantCulture)} resource instances").ToList();
        return
        [
            Condition(previous, now, "NamespaceDeletionDiscoveryFailure", false, "ResourcesDiscovered", "All resources successfully discovered"),
            Condition(previous, now, "NamespaceDeletionGroupVersionParsingFailure", false, "ParsedGroupVersions", "All legacy kube types successfully parsed"),
            Condition(previous, now, "NamespaceDeletionContentFailure", false, "ContentDeleted", "All content successfully deleted, may be waiting on finalization"),
            byResource.Count > 0
                ? Condition(previous, now, "NamespaceContentRemaining", true, "SomeResourcesRemain", "Some resources are remaining: " + string.Join(", ", byResource))
                : Condition(previous, now, "NamespaceContentRemaining", false, "ContentRemoved", "All content successfully removed"),
            byFinalizer.Count > 0
                ? Condition(previous, now, "NamespaceFinalizersRemaining", true, "SomeFinalizersRemain", "Some content in the namespace has finalizers remaining: " + string.Join(", ", byFinalizer))
                : Condition(previous, now, "NamespaceFinalizersRemaining", false, "ContentHasNoFinalizers", "All content-preserving finalizers finished"),
        ];
    }

    /// <summary>spec.finalizers of a Namespace (the namespace controller's "kubernetes").</summary>
    public static IReadOnlyList<string> SpecFinalizers(JsonObject ns) =>
        ns["spec"]?["finalizers"] is JsonArray a ? [.. a.Select(n => n?.GetValue<string>() ?? "")] : [];

    // lastTransitionTime moves only when the status does.
    private static JsonObject Condition(JsonArray? previous, string now, string type, bool status, string reason, string message)
    {
        var text = status ? "True" : "False";
        var before = previous?.OfType<JsonObject>().FirstOrDefault(c => c["type"]?.GetValue<string>() == type);
        var since = before?["status"]?.GetValue<string>() == text ? before["lastTransitionTime"]?.GetValue<string>() ?? now : now;
        return new JsonObject { ["type"] = type, ["status"] = text, ["lastTransitionTime"] = since, ["reason"] = reason, ["message"] = message };
    }
}
