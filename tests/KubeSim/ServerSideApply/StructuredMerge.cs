using System.Text.Json.Nodes;
using KubeSim.ManagedFields;

namespace KubeSim.ServerSideApply;

/// <summary>
/// Merges an apply configuration into the live object as structured-merge-diff does: objects merge field by field,
/// atomic objects and lists are replaced, list-maps merge item by item on their keys, sets are unioned; and
/// removes the fields an applier stopped applying.
/// </summary>
internal static class StructuredMerge
{
    public static JsonObject Merge(JsonObject live, JsonObject config, FieldType type) =>
        (JsonObject)MergeNode(live, config, type)!;

    /// <summary>Removes the field at <paramref name="path"/>; returns false when it is not there.</summary>
    public static bool Remove(JsonObject obj, IReadOnlyList<string> path, FieldType type)
    {
        JsonNode? container = obj;
        var containerType = type;
        for (var i = 0; i < path.Count - 1; i++)
        {
            (container, containerType) = Step(container, path[i], containerType);
            if (container is null)
            {
                return false;
            }
        }

        var last = path[^1];
        switch (container)
        {
            case JsonObject parent when last.StartsWith("f:", StringComparison.Ordinal):
                return parent.Remove(last[2..]);
            case JsonArray list:
                var index = IndexOf(list, last, containerType);
                if (index < 0)
                {
                    return false;
                }

                list.RemoveAt(index);
                return true;
            default:
                return false;
        }
    }

    /// <summary>The node at a path, or null.</summary>
    public static JsonNode? Find(JsonObject obj, IReadOnlyList<string> path, FieldType type)
    {
        JsonNode? node = obj;
        foreach (var element in path)
        {
            (node, type) = Step(node, element, type);
            if (node is null)
            {
                return null;
            }
        }

        return node;
    }

    private static (JsonNode? Node, FieldType Type) Step(JsonNode? node, string element, FieldType type) => node switch
    {
        JsonObject obj when element.StartsWith("f:", StringComparison.Ordinal) => (obj[element[2..]], type.Field(element[2..])),
        JsonArray list when IndexOf(list, element, type) is var i and >= 0 => (list[i], type.Items),
        _ => (null, type),
    };

    private static int IndexOf(JsonArray list, string element, FieldType type)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (type.ItemElement(list[i]) == element)
            {
                return i;
            }
        }

        return -1;
    }

    private static JsonNode? MergeNode(JsonNode? live, JsonNode? config, FieldType type)
    {
        switch (config)
        {
            case null:
                return null;
            case JsonObject configObject when !type.Atomic && live is JsonObject liveObject:
                var merged = (JsonObject)liveObject.DeepClone();
                foreach (var (key, value) in configObject)
                {
                    var child = MergeNode(liveObject[key], value, type.Field(key));
                    if (child is null)
                    {
                        merged.Remove(key);
                    }
                    else
                    {
                        merged[key] = child;
                    }
                }

                return merged;
            case JsonArray configList when type.ListType != ListType.Atomic && live is JsonArray liveList
                && configList.All(i => type.ItemElement(i) is not null) && liveList.All(i => type.ItemElement(i) is not null):
                var result = (JsonArray)liveList.DeepClone();
                foreach (var item in configList)
                {
                    var index = IndexOf(result, type.ItemElement(item)!, type);
                    if (index < 0)
                    {
                        result.Add(MergeNode(null, item, type.Items) ?? item?.DeepClone());
                    }
                    else if (type.ListType == ListType.Map)
                    {
                        result[index] = MergeNode(result[index], item, type.Items);
                    }
                }

                return result;
            case JsonObject configObject when !type.Atomic:
                // Nothing live to merge into: the configuration as given, without its nulls.
                return MergeNode(new JsonObject(), configObject, type);
            default:
                return config.DeepClone();
        }
    }
}
