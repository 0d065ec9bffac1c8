using System.Text.Json.Nodes;

namespace KubeSim;

/// <summary>What the apiextensions server does with a CustomResourceDefinition: validate, serve, establish.</summary>
internal static class CrdLifecycle
{
    public static readonly ResourceId Resource = new("apiextensions.k8s.io", "v1", "customresourcedefinitions");

    /// <summary>The finalizer the apiextensions server adds on delete; it goes once every instance is gone.</summary>
    public const string CleanupFinalizer = "customresourcecleanup.apiextensions.k8s.io";

    /// <summary>Sets (or replaces) the Terminating condition of a CRD being deleted.</summary>
    public static void SetTerminating(JsonObject crd, string reason, string message, string now)
    {
        if (crd["status"] is not JsonObject status)
        {
            status = new JsonObject();
            crd["status"] = status;
        }

        var conditions = status["conditions"] as JsonArray ?? [];
        var kept = conditions.OfType<JsonObject>().Where(c => Text(c["type"]) != "Terminating").Select(c => c.DeepClone()).ToList();
        var since = conditions.OfType<JsonObject>().FirstOrDefault(c => Text(c["type"]) == "Terminating")?["lastTransitionTime"]?.DeepClone() ?? now;
        var terminating = Condition("Terminating", reason, message, now);
        terminating["lastTransitionTime"] = since;
        status["conditions"] = new JsonArray([.. kept, terminating]);
    }

    /// <summary>True while a CRD is being deleted (its instances may not be created).</summary>
    public static bool IsTerminating(JsonObject? crd) => crd is not null && ObjectMeta.IsDeleting(crd);

    public static bool Is(ResourceDefinition definition) =>
        definition.Group == Resource.Group && definition.Plural == Resource.Plural;

    public static List<(string Reason, string Message, string Field)> Validate(JsonObject crd)
    {
        var causes = new List<(string Reason, string Message, string Field)>();
        var group = Text(crd["spec"]?["group"]);
        var plural = Text(crd["spec"]?["names"]?["plural"]);
        var kind = Text(crd["spec"]?["names"]?["kind"]);
        var scope = Text(crd["spec"]?["scope"]);
        if (group.Length == 0)
        {
            causes.Add(("FieldValueRequired", "Required value", "spec.group"));
        }

        if (plural.Length == 0)
        {
            causes.Add(("FieldValueRequired", "Required value", "spec.names.plural"));
        }

        if (kind.Length == 0)
        {
            causes.Add(("FieldValueRequired", "Required value", "spec.names.kind"));
        }

        if (scope is not ("Namespaced" or "Cluster"))
        {
            causes.Add(("FieldValueNotSupported", $"Unsupported value: \"{scope}\": supported values: \"Cluster\", \"Namespaced\"", "spec.scope"));
        }

        var name = ObjectMeta.Name(crd);
        if (name != $"{plural}.{group}")
        {
            causes.Add(("FieldValueInvalid", $"Invalid value: \"{name}\": must be spec.names.plural+\".\"+spec.group", "metadata.name"));
        }

        var versions = crd["spec"]?["versions"] as JsonArray ?? [];
        if (versions.Count == 0)
        {
            causes.Add(("FieldValueInvalid", "Invalid value: []: must have exactly one version marked as storage version", "spec.versions"));
        }
        else if (versions.Count(v => v?["storage"]?.GetValue<bool>() == true) != 1)
        {
            causes.Add(("FieldValueInvalid", "Invalid value: must have exactly one version marked as storage version", "spec.versions"));
        }

        return causes;
    }

    /// <summary>The resource definitions for every served version of the CRD.</summary>
    public static IReadOnlyList<ResourceDefinition> Definitions(JsonObject crd)
    {
        var spec = crd["spec"]!.AsObject();
        var names = spec["names"]!.AsObject();
        var kind = Text(names["kind"]);
        var singular = Text(names["singular"]) is { Length: > 0 } s ? s : kind.ToLowerInvariant();
        var shortNames = Strings(names["shortNames"]);
        var categories = Strings(names["categories"]);
        var namespaced = Text(spec["scope"]) == "Namespaced";
        var result = new List<ResourceDefinition>();
        foreach (var version in (spec["versions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (version["served"]?.GetValue<bool>() == false)
            {
                continue;
            }

            result.Add(new ResourceDefinition(
                Text(spec["group"]), Text(version["name"]), Text(names["plural"]), singular, kind, namespaced,
                version["subresources"]?["status"] is not null, shortNames, categories)
            {
                Schema = version["schema"]?["openAPIV3Schema"]?.DeepClone() as JsonObject,
                PrinterColumns = version["additionalPrinterColumns"]?.DeepClone() as JsonArray,
                IsCustom = true,
            });
        }

        return result;
    }

    /// <summary>Sets the status the apiextensions controllers report once names are accepted.</summary>
    public static void Establish(JsonObject crd, string now)
    {
        var names = (JsonObject)crd["spec"]!["names"]!.DeepClone();
        names["singular"] ??= Text(names["kind"]).ToLowerInvariant();
        names["listKind"] ??= Text(names["kind"]) + "List";
        var storage = (crd["spec"]!["versions"] as JsonArray ?? []).OfType<JsonObject>()
            .FirstOrDefault(v => v["storage"]?.GetValue<bool>() == true)?["name"]?.GetValue<string>() ?? "";
        var terminating = (crd["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(c => Text(c["type"]) == "Terminating");
        var conditions = new JsonArray(
            Condition("NamesAccepted", "NoConflicts", "no conflicts found", now),
            Condition("Established", "InitialNamesAccepted", "the initial names have been accepted", now));
        if (terminating is not null)
        {
            conditions.Add(terminating.DeepClone());
        }

        crd["status"] = new JsonObject
        {
            ["conditions"] = conditions,
            ["acceptedNames"] = names,
            ["storedVersions"] = new JsonArray(storage),
        };
    }

    private static JsonObject Condition(string type, string reason, string message, string now) => new()
    {
        ["type"] = type,
        ["status"] = "True",
        ["lastTransitionTime"] = now,
        ["reason"] = reason,
        ["message"] = message,
    };

    private static string Text(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";

    private static string[] Strings(JsonNode? node) =>
        node is JsonArray a ? [.. a.Select(Text)] : [];
}
