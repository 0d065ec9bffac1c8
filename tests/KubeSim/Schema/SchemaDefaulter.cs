using System.Text.Json.Nodes;

namespace KubeSim.Schema;

/// <summary>
/// Applies schema defaults to missing fields of every object that is present (including array items and
/// map values), then descends into the defaulted values too, as structural defaulting does.
/// </summary>
internal static class SchemaDefaulter
{
    public static void Apply(JsonNode? node, JsonObject schema, bool root)
    {
        switch (node)
        {
            case JsonObject obj:
                ApplyToObject(obj, schema, root);
                break;
            case JsonArray array when SchemaKeywords.Items(schema) is { } items:
                foreach (var item in array)
                {
                    Apply(item, items, root: false);
                }

                break;
        }
    }

    private static void ApplyToObject(JsonObject obj, JsonObject schema, bool root)
    {
        var properties = SchemaKeywords.Properties(schema);
        if (properties is not null)
        {
            foreach (var (key, property) in properties)
            {
                if (property is JsonObject propertySchema && !obj.ContainsKey(key) && propertySchema.TryGetPropertyValue("default", out var value))
                {
                    obj[key] = value?.DeepClone();
                }
            }
        }

        var map = SchemaKeywords.AdditionalProperties(schema);
        var skipMeta = SchemaKeywords.IsEmbeddedOrRoot(schema, root);
        foreach (var (key, value) in obj.ToList())
        {
            if (skipMeta && SchemaKeywords.RootMetaFields.Contains(key))
            {
                continue;
            }

            if (properties?[key] is JsonObject property)
            {
                Apply(value, property, root: false);
            }
            else if (map is not null)
            {
                Apply(value, map, root: false);
            }
        }
    }
}
