using System.Text.Json.Nodes;

namespace KubeSim.ManagedFields;

/// <summary>
/// The two ways structured-merge-diff derives owned fields from objects: the fields an applied configuration
/// sets (<see cref="Applied"/>), and what an update added, changed and removed (<see cref="Compare"/>).
/// </summary>
internal static class FieldSets
{
    /// <summary>The fields an apply configuration specifies: every leaf, every list item and set value, empty objects.</summary>
    public static FieldSet Applied(JsonObject config, FieldType type)
    {
        var builder = new FieldSet.Builder();
        VisitObject(config, type, [], builder);
        return builder.Build();
    }

    /// <summary>What changed from <paramref name="before"/> to <paramref name="after"/> (either may be an empty object).</summary>
    public static Comparison Compare(JsonObject before, JsonObject after, FieldType type)
    {
        var comparison = new ComparisonBuilder();
        CompareNodes(before, after, type, [], comparison, root: true);
        return comparison.Build();
    }

    private static void Visit(JsonNode? value, FieldType type, List<string> path, FieldSet.Builder set)
    {
        switch (value)
        {
            case JsonObject obj when !type.Atomic && obj.Count > 0:
                VisitObject(obj, type, path, set);
                if (type.IsMap)
                {
                    set.Insert(path);
                }

                break;
            case JsonArray list when type.ListType != ListType.Atomic && list.All(i => type.ItemElement(i) is not null):
                foreach (var item in list)
                {
                    path.Add(type.ItemElement(item)!);
                    set.Insert(path);
                    if (item is JsonObject itemObject)
                    {
                        VisitObject(itemObject, type.Items, path, set);
                    }

                    path.RemoveAt(path.Count - 1);
                }

                break;
            default:
                // Scalars, nulls, empty objects, atomic objects and lists (an empty granular list is handled above and owns nothing).
                set.Insert(path);
                break;
        }
    }

    private static void VisitObject(JsonObject obj, FieldType type, List<string> path, FieldSet.Builder set)
    {
        foreach (var (key, child) in obj)
        {
            path.Add(PathElements.Field(key));
            Visit(child, type.Field(key), path, set);
            path.RemoveAt(path.Count - 1);
        }
    }

    private static void CompareNodes(JsonNode? before, JsonNode? after, FieldType type, List<string> path, ComparisonBuilder result, bool root = false)
    {
        if (before is null && after is null)
        {
            return;
        }

        if (before is JsonObject oldObject && after is JsonObject newObject && !type.Atomic)
        {
            if (oldObject.Count == 0 && newObject.Count == 0)
            {
                return;
            }

            CompareFields(oldObject, newObject, type, path, result);
            return;
        }

        if ((before is null && after is JsonObject { Count: > 0 } created && !type.Atomic) || (after is null && before is JsonObject { Count: > 0 } && !type.Atomic))
        {
            // A whole object appears or disappears: the object itself and everything in it.
            if (!root)
            {
                (after is null ? result.Removed : result.Added).Insert(path);
            }

            CompareFields(before as JsonObject ?? [], after as JsonObject ?? [], type, path, result);
            return;
        }

        if (before is JsonArray oldList && after is JsonArray newList && Keyed(oldList, type) && Keyed(newList, type))
        {
            CompareLists(oldList, newList, type, path, result);
            return;
        }

        if (before is null && after is JsonArray addedList && Keyed(addedList, type) && addedList.Count > 0)
        {
            CompareLists([], addedList, type, path, result);
            return;
        }

        if (after is null && before is JsonArray removedList && Keyed(removedList, type) && removedList.Count > 0)
        {
            CompareLists(removedList, [], type, path, result);
            return;
        }

        if (before is null)
        {
            result.Added.Insert(path);
        }
        else if (after is null)
        {
            result.Removed.Insert(path);
        }
        else if (!JsonNode.DeepEquals(before, after))
        {
            result.Modified.Insert(path);
        }
    }

    private static void CompareFields(JsonObject before, JsonObject after, FieldType type, List<string> path, ComparisonBuilder result)
    {
        foreach (var key in before.Select(kv => kv.Key).Union(after.Select(kv => kv.Key), StringComparer.Ordinal))
        {
            path.Add(PathElements.Field(key));
            CompareNodes(before[key], after[key], type.Field(key), path, result);
            path.RemoveAt(path.Count - 1);
        }
    }

    private static void CompareLists(JsonArray before, JsonArray after, FieldType type, List<string> path, ComparisonBuilder result)
    {
        var oldItems = before.ToDictionary(i => type.ItemElement(i)!, i => i, StringComparer.Ordinal);
        var newItems = after.ToDictionary(i => type.ItemElement(i)!, i => i, StringComparer.Ordinal);
        foreach (var element in oldItems.Keys.Union(newItems.Keys, StringComparer.Ordinal))
        {
            path.Add(element);
            var oldItem = oldItems.GetValueOrDefault(element);
            var newItem = newItems.GetValueOrDefault(element);
            if (type.ListType == ListType.Set || oldItem is not JsonObject && newItem is not JsonObject)
            {
                CompareNodes(oldItem, newItem, type.Items, path, result);
            }
            else
            {
                if (oldItem is null || newItem is null)
                {
                    (newItem is null ? result.Removed : result.Added).Insert(path);
                }

                CompareFields(oldItem as JsonObject ?? [], newItem as JsonObject ?? [], type.Items, path, result);
            }

            path.RemoveAt(path.Count - 1);
        }
    }

    // A granular list whose every item can be keyed (duplicate keys make it atomic, as a malformed list would).
    private static bool Keyed(JsonArray list, FieldType type) =>
        type.ListType != ListType.Atomic
        && list.Select(type.ItemElement).ToList() is var elements
        && elements.All(e => e is not null)
        && elements.Distinct(StringComparer.Ordinal).Count() == elements.Count;

    private sealed class ComparisonBuilder
    {
        public FieldSet.Builder Added { get; } = new();

        public FieldSet.Builder Modified { get; } = new();

        public FieldSet.Builder Removed { get; } = new();

        public Comparison Build() => new(Added.Build(), Modified.Build(), Removed.Build());
    }
}
