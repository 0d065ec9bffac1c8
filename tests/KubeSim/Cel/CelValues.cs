using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using KubeSim.Schema;

namespace KubeSim.Cel;

/// <summary>
/// A JSON value as the CEL library sees it, typed by its schema the way the API server does: objects and maps
/// as string-keyed maps, arrays as lists, integers as int, numbers as double, strings with format date-time as
/// timestamps and with format duration as durations. At the root only apiVersion, kind, metadata.name and
/// metadata.generateName are visible under metadata, as in kube-apiserver.
/// </summary>
internal static class CelValues
{
    public static object? From(JsonNode? node, JsonObject? schema, bool root = false) => node switch
    {
        null => null,
        JsonObject obj => FromObject(obj, schema, root),
        JsonArray array => array.Select(item => From(item, schema is null ? null : SchemaKeywords.Items(schema))).ToList(),
        JsonValue value => FromValue(value, schema),
        _ => null,
    };

    private static Dictionary<string, object?> FromObject(JsonObject obj, JsonObject? schema, bool root)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        var properties = schema is null ? null : SchemaKeywords.Properties(schema);
        var map = schema is null ? null : SchemaKeywords.AdditionalProperties(schema);
        foreach (var (key, value) in obj)
        {
            if (root && key == "metadata")
            {
                var meta = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var field in new[] { "name", "generateName" })
                {
                    if (value?[field] is JsonValue text && text.TryGetValue<string>(out var s))
                    {
                        meta[field] = s;
                    }
                }

                result[key] = meta;
                continue;
            }

            result[key] = From(value, properties?[key] as JsonObject ?? map);
        }

        return result;
    }

    private static object? FromValue(JsonValue value, JsonObject? schema)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                var text = value.GetValue<string>();
                var format = schema is null ? null : SchemaKeywords.Text(schema, "format");
                if (format == "date-time" && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
                {
                    return at;
                }

                if (format == "duration" && GoDuration.TryParse(text, out var duration))
                {
                    return Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(duration);
                }

                return text;
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.Number:
                var json = value.ToJsonString();
                // Boxed separately: a conditional would widen the integer to double.
                if (long.TryParse(json, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
                {
                    return integer;
                }

                return double.Parse(json, NumberStyles.Float, CultureInfo.InvariantCulture);
            default:
                return null;
        }
    }
}
