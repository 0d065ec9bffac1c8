using System.Text.Json.Nodes;

namespace KubeSim.Schema;

/// <summary>
/// Removes fields the schema does not declare (unless x-kubernetes-preserve-unknown-fields) and nulls of
/// non-nullable fields, recording the path of each unknown field as the API server's strict decoding does.
/// </summary>
internal static class SchemaPruner
{
    public static void Prune(JsonNode? node, JsonObject schema, string path, bool root, List<string> unknown)
    {
        switch (node)
        {
            case JsonObject obj:
                PruneObject(obj, schema, path, root, unknown);
                break;
            case JsonArray array when SchemaKeywords.Items(schema) is { } items:
                for (var i = 0; i < array.Count; i++)
                {
                    Prune(array[i], items, SchemaKeywords.Index(path, i), root: false, unknown);
                }

                break;
        }
    }

    private static void PruneObject(JsonObject obj, JsonObject schema, string path, bool root, List<string> unknown)
    {
        var properties = SchemaKeywords.Properties(schema);
        var map = SchemaKeywords.AdditionalProperties(schema);
        var preserve = SchemaKeywords.Flag(schema, "x-kubernetes-preserve-unknown-fields");
        var keepMeta = SchemaKeywords.IsEmbeddedOrRoot(schema, root);
        foreach (var (key, value) in obj.ToList())
        {
            if (keepMeta && SchemaKeywords.RootMetaFields.Contains(key))
            {
                continue;
            }

            if (properties?[key] is JsonObject property)
            {
                if (value is null && !SchemaKeywords.Flag(property, "nullable"))
                {
                    obj.Remove(key);
                }
                else
                {
                    Prune(value, property, SchemaKeywords.Child(path, key), root: false, unknown);
                }
            }
            else if (map is not null)
            {
                Prune(value, map, SchemaKeywords.Key(path, key), root: false, unknown);
            }
            else if (!preserve)
            {
                obj.Remove(key);
                unknown.Add(SchemaKeywords.Child(path, key));
            }
        }
    }
}
