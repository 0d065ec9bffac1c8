using System.Text.Json.Nodes;

namespace KubeSim;

/// <summary>Small accessors for the metadata of objects held as JsonObject.</summary>
internal static class ObjectMeta
{
    /// <summary>metadata, created when absent.</summary>
    public static JsonObject Metadata(JsonObject obj)
    {
        if (obj["metadata"] is JsonObject meta)
        {
            return meta;
        }

        meta = new JsonObject();
        obj["metadata"] = meta;
        return meta;
    }

    /// <summary>A string field of metadata, or null.</summary>
    public static string? Get(JsonObject obj, string field) =>
        obj["metadata"] is JsonObject meta && meta[field] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>metadata.name or empty.</summary>
    public static string Name(JsonObject obj) => Get(obj, "name") ?? "";

    /// <summary>metadata.namespace or null.</summary>
    public static string? Namespace(JsonObject obj) => Get(obj, "namespace");

    /// <summary>metadata.resourceVersion parsed, or null when absent or empty.</summary>
    public static long? ResourceVersion(JsonObject obj)
    {
        var text = Get(obj, "resourceVersion");
        return string.IsNullOrEmpty(text) ? null : long.TryParse(text, out var rv) ? rv : -1;
    }

    /// <summary>metadata.generation (0 when absent), whatever JSON number type holds it.</summary>
    public static long Generation(JsonObject obj) =>
        obj["metadata"]?["generation"] is JsonValue v && long.TryParse(v.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture, out var g) ? g : 0;

    /// <summary>metadata.labels as a dictionary (empty when absent).</summary>
    public static IReadOnlyDictionary<string, string> Labels(JsonObject obj) => StringMap(obj, "labels");

    /// <summary>metadata.annotations as a dictionary (empty when absent).</summary>
    public static IReadOnlyDictionary<string, string> Annotations(JsonObject obj) => StringMap(obj, "annotations");

    /// <summary>metadata.finalizers (empty when absent).</summary>
    public static IReadOnlyList<string> Finalizers(JsonObject obj) =>
        obj["metadata"]?["finalizers"] is JsonArray a ? [.. a.Select(n => n?.GetValue<string>() ?? "")] : [];

    /// <summary>Sets metadata.finalizers, removing the field when the list is empty.</summary>
    public static void SetFinalizers(JsonObject obj, IEnumerable<string> finalizers)
    {
        var list = finalizers.ToList();
        var meta = Metadata(obj);
        if (list.Count == 0)
        {
            meta.Remove("finalizers");
        }
        else
        {
            meta["finalizers"] = new JsonArray([.. list.Select(f => (JsonNode)JsonValue.Create(f))]);
        }
    }

    /// <summary>True once a delete has been requested (deletionTimestamp set).</summary>
    public static bool IsDeleting(JsonObject obj) => Get(obj, "deletionTimestamp") is not null;

    /// <summary>The uids named by metadata.ownerReferences.</summary>
    public static IReadOnlyList<string> OwnerUids(JsonObject obj) =>
        obj["metadata"]?["ownerReferences"] is JsonArray a
            ? [.. a.OfType<JsonObject>().Select(o => o["uid"]?.GetValue<string>() ?? "")]
            : [];

    private static Dictionary<string, string> StringMap(JsonObject obj, string field)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (obj["metadata"]?[field] is JsonObject o)
        {
            foreach (var (k, v) in o)
            {
                map[k] = v is JsonValue value && value.TryGetValue<string>(out var s) ? s : v?.ToJsonString() ?? "";
            }
        }

        return map;
    }
}
