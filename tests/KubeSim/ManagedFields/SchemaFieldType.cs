using System.Text.Json.Nodes;

namespace KubeSim.ManagedFields;

/// <summary>Field types read from a CRD's OpenAPI v3 schema (x-kubernetes-list-type, -list-map-keys, -map-type).</summary>
internal sealed class SchemaFieldType(JsonObject? schema) : FieldType
{
    public override bool Atomic => Text("x-kubernetes-map-type") == "atomic";

    public override ListType ListType => Text("x-kubernetes-list-type") switch
    {
        "set" => ListType.Set,
        "map" when ListKeys.Count > 0 => ListType.Map,
        _ => ListType.Atomic,
    };

    public override IReadOnlyList<string> ListKeys =>
        schema?["x-kubernetes-list-map-keys"] is JsonArray keys ? [.. keys.Select(k => k?.GetValue<string>() ?? "")] : [];

    public override bool IsMap => schema?["properties"] is null && schema?["additionalProperties"] is JsonObject;

    public override FieldType Items => new SchemaFieldType(schema?["items"] as JsonObject);

    public override FieldType Field(string name)
    {
        if (schema?["properties"]?[name] is JsonObject property)
        {
            return new SchemaFieldType(property);
        }

        // metadata is the same for every kind, whatever the CRD schema says of it.
        return schema?["additionalProperties"] is JsonObject values ? new SchemaFieldType(values)
            : name == "metadata" && schema?["properties"] is not null ? BuiltInFieldType.Metadata
            : new SchemaFieldType(null);
    }

    private string? Text(string keyword) => schema?[keyword] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
