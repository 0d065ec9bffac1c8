using System.Text.Json.Nodes;

namespace KubeSim.Patching;

/// <summary>
/// Kubernetes strategic merge patch for built-in kinds. Lists of named items merge by their merge key
/// (the patchMergeKey of the Go types), other lists are replaced; the directives kubectl sends
/// (<c>$patch</c>, <c>$retainKeys</c>, <c>$setElementOrder/…</c>, <c>$deleteFromPrimitiveList/…</c>) are honoured.
/// Kinds without strategy metadata (custom resources) fall back to JSON merge patch.
/// </summary>
internal static class StrategicMergePatch
{
    private const string PatchDirective = "$patch";
    private const string RetainKeysDirective = "$retainKeys";
    private const string SetElementOrderPrefix = "$setElementOrder/";
    private const string DeleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList/";

    private static readonly HashSet<string> BuiltInKinds = new(StringComparer.Ordinal)
    {
        "Pod", "PodTemplate", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob",
        "Secret", "ConfigMap", "ServiceAccount", "Namespace", "Service", "Event", "Lease", "Node",
        "CustomResourceDefinition", "ControllerRevision",
    };

    public static JsonNode? Apply(JsonNode? target, JsonNode? patch, string kind)
    {
        if (!BuiltInKinds.Contains(kind))
        {
            return MergePatch.Apply(target, patch);
        }

        if (patch is not JsonObject patchObject)
        {
            throw new PatchException("strategic merge patch must be a JSON object");
        }

        var targetObject = target as JsonObject ?? [];
        return MergeObject(targetObject, patchObject, parentField: string.Empty);
    }

    private static JsonObject? MergeObject(JsonObject target, JsonObject patch, string parentField)
    {
        switch (DirectiveOf(patch))
        {
            case "delete":
                return null;
            case "replace":
                return MergeObject([], WithoutDirective(patch), parentField);
            case null or "merge":
                break;
            default:
                throw new PatchException($"Unknown patch type: {DirectiveOf(patch)} in map");
        }

        var result = (JsonObject)target.DeepClone();
        foreach (var (key, value) in patch)
        {
            if (key == PatchDirective || key == RetainKeysDirective || key.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal)
                || key.StartsWith(DeleteFromPrimitiveListPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            if (value is null)
            {
                result.Remove(key);
                continue;
            }

            result.TryGetPropertyValue(key, out var existing);
            var merged = MergeValue(existing, value, key, parentField);
            if (merged.Delete)
            {
                result.Remove(key);
            }
            else
            {
                result[key] = merged.Value;
            }
        }

        foreach (var (key, value) in patch)
        {
            if (key.StartsWith(DeleteFromPrimitiveListPrefix, StringComparison.Ordinal))
            {
                DeleteFromPrimitiveList(result, key[DeleteFromPrimitiveListPrefix.Length..], value);
            }
            else if (key.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal))
            {
                var field = key[SetElementOrderPrefix.Length..];
                if (result[field] is JsonArray list && value is JsonArray order)
                {
                    result[field] = Reorder(list, order, MergeKeyFor(field, parentField));
                }
            }
        }

        if (patch.TryGetPropertyValue(RetainKeysDirective, out var retain))
        {
            if (retain is not JsonArray retainList)
            {
                throw new PatchException("$retainKeys must be a list of field names");
            }

            var keep = retainList.Select(k => k?.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
            foreach (var key in result.Select(p => p.Key).Where(k => !keep.Contains(k)).ToList())
            {
                result.Remove(key);
            }
        }

        return result;
    }

    private static (JsonNode? Value, bool Delete) MergeValue(JsonNode? existing, JsonNode patch, string field, string parentField)
    {
        switch (patch)
        {
            case JsonObject patchObject:
            {
                var merged = MergeObject(existing as JsonObject ?? [], patchObject, field);
                return (merged, merged is null);
            }
            case JsonArray patchArray:
            {
                var strategy = MergeKeyFor(field, parentField);
                if (strategy is null)
                {
                    return (StripDirectives(patchArray), false);
                }

                var existingArray = existing as JsonArray ?? [];
                return (strategy.Length == 0
                    ? MergePrimitiveList(existingArray, patchArray)
                    : MergeKeyedList(existingArray, patchArray, strategy, field), false);
            }
            default:
                return (patch.DeepClone(), false);
        }
    }

    // null: replace the list; "": merge a list of primitives as a set; otherwise the merge key of the items.
    private static string? MergeKeyFor(string field, string parentField) => field switch
    {
        "containers" or "initContainers" or "ephemeralContainers" or "volumes" or "env" or "imagePullSecrets"
            or "secrets" or "resourceClaims" or "schedulingGates" => "name",
        "ports" => parentField is "containers" or "initContainers" or "ephemeralContainers" ? "containerPort" : "port",
        "volumeMounts" => "mountPath",
        "volumeDevices" => "devicePath",
        "conditions" => "type",
        "ownerReferences" => "uid",
        "hostAliases" => "ip",
        "topologySpreadConstraints" => "topologyKey",
        "finalizers" when parentField == "metadata" => string.Empty,
        _ => null,
    };

    private static JsonArray MergePrimitiveList(JsonArray existing, JsonArray patch)
    {
        var result = (JsonArray)existing.DeepClone();
        foreach (var item in patch)
        {
            if (!result.Any(r => JsonNode.DeepEquals(r, item)))
            {
                result.Add(item?.DeepClone());
            }
        }

        return result;
    }

    private static JsonArray MergeKeyedList(JsonArray existing, JsonArray patch, string mergeKey, string field)
    {
        var replace = patch.OfType<JsonObject>().Any(item => DirectiveOf(item) == "replace");
        var result = replace ? [] : (JsonArray)existing.DeepClone();
        foreach (var entry in patch)
        {
            if (entry is not JsonObject item)
            {
                throw new PatchException($"{field}: list items must be objects with merge key \"{mergeKey}\"");
            }

            var directive = DirectiveOf(item);
            if (directive == "replace" && item.Count == 1)
            {
                continue;
            }

            if (!item.TryGetPropertyValue(mergeKey, out var key) || key is null)
            {
                throw new PatchException($"map: {item.ToJsonString()} does not contain declared merge key: {mergeKey}");
            }

            var index = IndexOfKey(result, mergeKey, key);
            if (directive == "delete")
            {
                if (index >= 0)
                {
                    result.RemoveAt(index);
                }

                continue;
            }

            if (index >= 0)
            {
                result[index] = MergeObject((JsonObject)result[index]!, item, field);
            }
            else
            {
                result.Add(MergeObject([], item, field));
            }
        }

        return result;
    }

    private static int IndexOfKey(JsonArray list, string mergeKey, JsonNode key)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is JsonObject candidate && JsonNode.DeepEquals(candidate[mergeKey], key))
            {
                return i;
            }
        }

        return -1;
    }

    // Items named by the order come first in that order; items the order does not name keep their relative order after them.
    private static JsonArray Reorder(JsonArray list, JsonArray order, string? mergeKey)
    {
        var items = list.Select(i => i?.DeepClone()).ToList();
        var ordered = new JsonArray();
        foreach (var wanted in order)
        {
            var wantedKey = mergeKey is { Length: > 0 } && wanted is JsonObject wantedObject ? wantedObject[mergeKey] : wanted;
            var match = items.FindIndex(i => JsonNode.DeepEquals(mergeKey is { Length: > 0 } && i is JsonObject o ? o[mergeKey] : i, wantedKey));
            if (match >= 0)
            {
                ordered.Add(items[match]);
                items.RemoveAt(match);
            }
        }

        foreach (var rest in items)
        {
            ordered.Add(rest);
        }

        return ordered;
    }

    private static void DeleteFromPrimitiveList(JsonObject result, string field, JsonNode? values)
    {
        if (result[field] is not JsonArray list || values is not JsonArray remove)
        {
            return;
        }

        for (var i = list.Count - 1; i >= 0; i--)
        {
            if (remove.Any(r => JsonNode.DeepEquals(r, list[i])))
            {
                list.RemoveAt(i);
            }
        }
    }

    private static string? DirectiveOf(JsonObject obj) =>
        obj.TryGetPropertyValue(PatchDirective, out var value) && value is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;

    private static JsonObject WithoutDirective(JsonObject obj)
    {
        var copy = (JsonObject)obj.DeepClone();
        copy.Remove(PatchDirective);
        return copy;
    }

    private static JsonArray StripDirectives(JsonArray array) =>
        [.. array.Where(i => !(i is JsonObject o && DirectiveOf(o) == "replace" && o.Count == 1)).Select(i => i is JsonObject o ? MergeObject([], o, string.Empty) : i?.DeepClone())];
}
