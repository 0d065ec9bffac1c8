using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KubeSim.Controllers;

/// <summary>Small readers and builders over workload objects held as JSON.</summary>
internal static class WorkloadObjects
{
    public static string Name(JsonObject obj) => Text(obj["metadata"]?["name"]) ?? string.Empty;

    public static string Uid(JsonObject obj) => Text(obj["metadata"]?["uid"]) ?? string.Empty;

    public static long Generation(JsonObject obj) => Long(obj["metadata"]?["generation"]) ?? 0;

    public static DateTimeOffset Created(JsonObject obj) =>
        DateTimeOffset.TryParse(Text(obj["metadata"]?["creationTimestamp"]), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var created)
            ? created
            : DateTimeOffset.MinValue;

    public static bool IsDeleting(JsonObject obj) => obj["metadata"]?["deletionTimestamp"] is not null;

    public static string? Label(JsonObject obj, string key) => Text(obj["metadata"]?["labels"]?[key]);

    public static string? Annotation(JsonObject obj, string key) => Text(obj["metadata"]?["annotations"]?[key]);

    public static JsonObject Metadata(JsonObject obj)
    {
        if (obj["metadata"] is not JsonObject meta)
        {
            meta = [];
            obj["metadata"] = meta;
        }

        return meta;
    }

    public static JsonObject Child(JsonObject parent, string name)
    {
        if (parent[name] is not JsonObject child)
        {
            child = [];
            parent[name] = child;
        }

        return child;
    }

    public static string? Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    // Parsed from the JSON text: values built in code (int, long) and parsed ones (JsonElement) read alike.
    public static long? Long(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number
        && decimal.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? (long)number
            : null;

    public static int Int(JsonNode? node, int fallback) => (int?)Long(node) ?? fallback;

    public static bool IsTrue(JsonNode? node) => node is JsonValue value && value.GetValueKind() == JsonValueKind.True;

    /// <summary>The controller owner (kind, name) of an object, if any.</summary>
    public static (string Kind, string Name)? ControllerOf(JsonObject obj) =>
        obj["metadata"]?["ownerReferences"] is JsonArray refs
        && refs.OfType<JsonObject>().FirstOrDefault(r => IsTrue(r["controller"])) is { } owner
            ? (Text(owner["kind"]) ?? string.Empty, Text(owner["name"]) ?? string.Empty)
            : null;

    public static bool IsControlledBy(JsonObject obj, string ownerUid) =>
        obj["metadata"]?["ownerReferences"] is JsonArray refs
        && refs.OfType<JsonObject>().Any(r => IsTrue(r["controller"]) && Text(r["uid"]) == ownerUid);

    public static JsonObject OwnerReference(JsonObject owner, string apiVersion, string kind) => new()
    {
        ["apiVersion"] = apiVersion,
        ["kind"] = kind,
        ["name"] = Name(owner),
        ["uid"] = Uid(owner),
        ["controller"] = true,
        ["blockOwnerDeletion"] = true,
    };

    public static bool IsPodReady(JsonObject pod) =>
        pod["status"]?["conditions"] is JsonArray conditions
        && conditions.OfType<JsonObject>().Any(c => Text(c["type"]) == "Ready" && Text(c["status"]) == "True");

    /// <summary>When the pod's Ready condition last turned True, if it is True.</summary>
    public static DateTimeOffset? ReadySince(JsonObject pod) =>
        pod["status"]?["conditions"] is JsonArray conditions
        && conditions.OfType<JsonObject>().FirstOrDefault(c => Text(c["type"]) == "Ready" && Text(c["status"]) == "True") is { } ready
        && DateTimeOffset.TryParse(Text(ready["lastTransitionTime"]), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var since)
            ? since
            : null;

    /// <summary>Resolves an int-or-percent field (maxSurge, maxUnavailable) against a total, as intstr does.</summary>
    public static int Scaled(JsonNode? value, int total, bool roundUp, int fallback)
    {
        if (Long(value) is { } absolute)
        {
            return (int)absolute;
        }

        if (Text(value) is { } text && text.EndsWith('%') && int.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var percent))
        {
            var exact = total * percent / 100.0;
            return (int)(roundUp ? Math.Ceiling(exact) : Math.Floor(exact));
        }

        return fallback;
    }

    /// <summary>Sets a numeric status field, leaving it out when zero as the Go types' omitempty does.</summary>
    public static void SetOmitEmpty(JsonObject status, string name, long value)
    {
        if (value == 0)
        {
            status.Remove(name);
        }
        else
        {
            status[name] = value;
        }
    }

    public static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A copy of a pod template's metadata labels with extra labels added.</summary>
    public static JsonObject LabelsWith(JsonObject? template, IEnumerable<KeyValuePair<string, string>> extra)
    {
        var labels = template?["metadata"]?["labels"] is JsonObject existing ? (JsonObject)existing.DeepClone() : [];
        foreach (var (key, value) in extra)
        {
            labels[key] = value;
        }

        return labels;
    }
}
