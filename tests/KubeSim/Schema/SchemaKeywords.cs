using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KubeSim.Schema;

/// <summary>Reads the OpenAPI v3 keywords of a structural schema node and builds field paths in field.Path form.</summary>
internal static class SchemaKeywords
{
    public static readonly string[] RootMetaFields = ["apiVersion", "kind", "metadata"];

    public static JsonObject? Properties(JsonObject schema) => schema["properties"] as JsonObject;

    public static JsonObject? Items(JsonObject schema) => schema["items"] as JsonObject;

    /// <summary>The schema of map values, or null when the object is not a map.</summary>
    public static JsonObject? AdditionalProperties(JsonObject schema) => schema["additionalProperties"] switch
    {
        JsonObject map => map,
        JsonValue allowed when allowed.GetValueKind() == JsonValueKind.True => [],
        _ => null,
    };

    public static bool Flag(JsonObject schema, string name) =>
        schema[name] is JsonValue value && value.GetValueKind() == JsonValueKind.True;

    public static string? Text(JsonObject schema, string name) =>
        schema[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    public static decimal? Number(JsonObject schema, string name) => Decimal(schema[name]);

    // Parsed from the JSON text so that values built in code (int, double) and parsed ones read alike.
    public static decimal? Decimal(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number
        && decimal.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? number
            : null;

    public static bool IsEmbeddedOrRoot(JsonObject schema, bool root) => root || Flag(schema, "x-kubernetes-embedded-resource");

    public static string Child(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    public static string Index(string path, int index) => $"{path}[{index}]";

    public static string Key(string path, string key) => $"{path}[{key}]";
}
