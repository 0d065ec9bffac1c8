using System.Text.Json.Nodes;

namespace KubeSim.ManagedFields;

/// <summary>metadata.managedFields to and from entries, sorted as kube-apiserver sorts them.</summary>
internal static class ManagedFieldsCodec
{
    /// <summary>The entries of an object; null when it has none or they are malformed (the caller then keeps the live ones).</summary>
    public static IReadOnlyList<ManagedFieldsEntry>? Decode(JsonObject obj)
    {
        if (obj["metadata"]?["managedFields"] is not JsonArray { Count: > 0 } entries)
        {
            return null;
        }

        try
        {
            return [.. entries.Select(Entry)];
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException)
        {
            return null;
        }
    }

    public static JsonArray Encode(IEnumerable<ManagedFieldsEntry> entries) =>
        [.. entries
            .OrderBy(e => e.Operation, StringComparer.Ordinal)
            .ThenBy(e => e.Time ?? "", StringComparer.Ordinal)
            .ThenBy(e => e.Manager, StringComparer.Ordinal)
            .ThenBy(e => e.ApiVersion, StringComparer.Ordinal)
            .ThenBy(e => e.Subresource, StringComparer.Ordinal)
            .Select(e => (JsonNode)Json(e))];

    private static JsonObject Json(ManagedFieldsEntry entry)
    {
        var json = new JsonObject
        {
            ["manager"] = entry.Manager,
            ["operation"] = entry.Operation,
            ["apiVersion"] = entry.ApiVersion,
            ["time"] = entry.Time,
            ["fieldsType"] = "FieldsV1",
            ["fieldsV1"] = entry.Fields.ToFieldsV1(),
        };
        if (entry.Subresource.Length > 0)
        {
            json["subresource"] = entry.Subresource;
        }

        return json;
    }

    private static ManagedFieldsEntry Entry(JsonNode? node)
    {
        var json = node as JsonObject ?? throw new FormatException("a managedFields entry must be an object");
        var fieldsType = Text(json, "fieldsType");
        if (fieldsType.Length > 0 && fieldsType != "FieldsV1")
        {
            throw new FormatException($"unknown fieldsType \"{fieldsType}\"");
        }

        var fields = json["fieldsV1"] is JsonObject v1 ? FieldSet.FromFieldsV1(v1) : FieldSet.Empty;
        var operation = Text(json, "operation");
        return new ManagedFieldsEntry(Text(json, "manager"), operation, Text(json, "apiVersion"), json["time"]?.GetValue<string>(), Text(json, "subresource"), fields);
    }

    private static string Text(JsonObject json, string name) => json[name]?.GetValue<string>() ?? "";
}
