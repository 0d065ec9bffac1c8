using System.Globalization;
using System.Text.Json.Nodes;
using KubeSim.ServerSideApply;

namespace KubeSim.ManagedFields;

/// <summary>
/// Records metadata.managedFields on every write as kube-apiserver does, and performs server-side apply: merge,
/// conflict detection (409 with FieldManagerConflict causes), forced ownership transfer and removal of fields an
/// applier stopped applying.
/// </summary>
internal sealed class FieldManager(TimeProvider time)
{
    /// <summary>The manager that owns everything an object held before its first apply, when it had no managedFields.</summary>
    public const string BeforeFirstApply = "before-first-apply";

    // metadata itself is never owned (only fields below it), as kube-apiserver's stripped set says.
    private static readonly FieldSet Untracked = FieldSet.Of([["f:metadata"]]);

    private static readonly string[] UntrackedMetadata =
        ["name", "namespace", "creationTimestamp", "selfLink", "uid", "generation", "managedFields", "resourceVersion", "deletionTimestamp", "deletionGracePeriodSeconds"];

    /// <summary>
    /// The managedFields after a non-apply write of <paramref name="next"/> over <paramref name="live"/> (null: a create).
    /// Entries the request carried replace the live ones (a client may edit or reset them with [{}]); none or
    /// malformed ones leave the live ones in force. Status writes always start from the live entries.
    /// </summary>
    public JsonArray? Update(ResourceDefinition definition, JsonObject? live, JsonObject next, JsonObject request, string manager, string subresource)
    {
        var managers = (subresource.Length == 0 ? ManagedFieldsCodec.Decode(request) : null)
            ?? (live is null ? null : ManagedFieldsCodec.Decode(live))
            ?? [];
        var type = FieldType.For(definition);
        var before = live is null ? Baseline(next, type) : Tracked(definition, live, subresource);
        if (subresource == "status")
        {
            before["status"] ??= new JsonObject();
        }

        var comparison = Compare(before, Tracked(definition, next, subresource), type);
        var identity = new ManagedFieldsEntry(manager, ManagedFieldsEntry.Update, definition.Id.ApiVersion, null, subresource, FieldSet.Empty).Identity;

        var result = new List<ManagedFieldsEntry>();
        var mine = FieldSet.Empty;
        foreach (var entry in managers)
        {
            if (entry.Identity == identity)
            {
                mine = mine.Union(entry.Fields);
                continue;
            }

            result.Add(entry with { Fields = entry.Fields.Difference(comparison.Changed).Difference(comparison.Removed) });
        }

        mine = mine.Difference(comparison.Removed).Union(comparison.Changed);
        result.Add(new ManagedFieldsEntry(manager, ManagedFieldsEntry.Update, definition.Id.ApiVersion, Now(), subresource, mine));
        return Encode(result);
    }

    /// <summary>
    /// Applies <paramref name="config"/> for <paramref name="manager"/> over <paramref name="live"/> (null: create via
    /// apply) and returns the object to write, managedFields included. Throws 409 on conflicts unless forced.
    /// </summary>
    public JsonObject Apply(ResourceDefinition definition, JsonObject? live, JsonObject config, string manager, bool force, string subresource)
    {
        var type = FieldType.For(definition);
        var liveObject = live ?? new JsonObject();
        var managers = (live is null ? null : ManagedFieldsCodec.Decode(live))?.ToList() ?? [];
        if (live is not null && managers.Count == 0)
        {
            // An object nobody's fields were recorded for: its current fields belong to "before-first-apply".
            var owned = Compare(Baseline(live, type), Tracked(definition, live, subresource), type).Changed;
            managers.Add(new ManagedFieldsEntry(BeforeFirstApply, ManagedFieldsEntry.Update, definition.Id.ApiVersion, Now(), subresource, owned));
        }

        var applied = ApplyPart(definition, config, subresource);
        var merged = StructuredMerge.Merge(liveObject, applied, type);
        var comparison = Compare(Tracked(definition, liveObject, subresource), Tracked(definition, merged, subresource), type);
        var identity = new ManagedFieldsEntry(manager, ManagedFieldsEntry.Apply, definition.Id.ApiVersion, null, subresource, FieldSet.Empty).Identity;

        var conflicts = managers
            .Where(e => e.Identity != identity)
            .SelectMany(e => e.Fields.Intersect(comparison.Changed).Paths().Select(p => (Entry: e, Path: p)))
            .ToList();
        if (conflicts.Count > 0 && !force)
        {
            throw Conflict(conflicts);
        }

        var newSet = FieldSets.Applied(Tracked(definition, applied, subresource), type).Difference(Untracked);
        var lastSet = FieldSet.Empty;
        var result = new List<ManagedFieldsEntry>();
        foreach (var entry in managers)
        {
            if (entry.Identity == identity)
            {
                lastSet = lastSet.Union(entry.Fields);
            }
            else
            {
                result.Add(entry with { Fields = entry.Fields.Difference(comparison.Changed).Difference(comparison.Removed) });
            }
        }

        var othersOwn = result.Aggregate(FieldSet.Empty, (all, e) => all.Union(e.Fields));
        Prune(merged, lastSet.Difference(newSet), newSet.Union(othersOwn), type);
        result.Add(new ManagedFieldsEntry(manager, ManagedFieldsEntry.Apply, definition.Id.ApiVersion, Now(), subresource, newSet));
        ObjectMeta.Metadata(merged)["managedFields"] = Encode(result);
        return merged;
    }

    /// <summary>Whether two managedFields lists are the same but for their times (such a write is a no-op).</summary>
    public static bool SameIgnoringTime(JsonNode? a, JsonNode? b)
    {
        static JsonNode? WithoutTimes(JsonNode? node)
        {
            if (node?.DeepClone() is not JsonArray copy)
            {
                return node;
            }

            foreach (var entry in copy.OfType<JsonObject>())
            {
                entry.Remove("time");
            }

            return copy;
        }

        return JsonNode.DeepEquals(WithoutTimes(a), WithoutTimes(b));
    }

    private static Comparison Compare(JsonObject before, JsonObject after, FieldType type)
    {
        var comparison = FieldSets.Compare(before, after, type);
        return new Comparison(comparison.Added.Difference(Untracked), comparison.Modified.Difference(Untracked), comparison.Removed.Difference(Untracked));
    }

    // Removes fields the applier applied last time and no longer does, unless someone else (or this apply) owns
    // them or something below them; objects and items left empty by that go too.
    private static void Prune(JsonObject merged, FieldSet dropped, FieldSet kept, FieldType type)
    {
        foreach (var path in dropped.Paths().OrderBy(p => p.Count))
        {
            if (kept.ContainsPrefix(path) || StructuredMerge.Find(merged, path, type) is null)
            {
                continue;
            }

            StructuredMerge.Remove(merged, path, type);
            for (var parent = path.Take(path.Count - 1).ToArray(); parent.Length > 1; parent = parent[..^1])
            {
                if (StructuredMerge.Find(merged, parent, type) is not JsonObject { Count: 0 } || kept.ContainsPrefix(parent))
                {
                    break;
                }

                StructuredMerge.Remove(merged, parent, type);
            }
        }
    }

    private static ApiException Conflict(List<(ManagedFieldsEntry Entry, IReadOnlyList<string> Path)> conflicts)
    {
        var causes = new JsonArray([.. conflicts.Select(c => (JsonNode)new JsonObject
        {
            ["reason"] = "FieldManagerConflict",
            ["message"] = $"conflict with {c.Entry.Describe()}",
            ["field"] = PathElements.Display(c.Path),
        })]);
        string message;
        if (conflicts.Count == 1)
        {
            message = $"Apply failed with 1 conflict: conflict with {conflicts[0].Entry.Describe()}: {PathElements.Display(conflicts[0].Path)}";
        }
        else
        {
            var lines = conflicts.GroupBy(c => c.Entry.Describe()).OrderBy(g => g.Key, StringComparer.Ordinal)
                .SelectMany(g => new[] { $"conflicts with {g.Key}:" }.Concat(g.Select(c => $"- {PathElements.Display(c.Path)}")));
            message = $"Apply failed with {conflicts.Count} conflicts: {string.Join("\n", lines)}";
        }

        return new ApiException(409, "Conflict", message) { Details = new JsonObject { ["causes"] = causes } };
    }

    // What an apply to the main resource or to status may change: status is the status subresource's alone
    // when the resource has one.
    private static JsonObject ApplyPart(ResourceDefinition definition, JsonObject config, string subresource)
    {
        var part = (JsonObject)config.DeepClone();
        if (subresource == "status")
        {
            return new JsonObject { ["status"] = part["status"]?.DeepClone() };
        }

        if (definition.HasStatus)
        {
            part.Remove("status");
        }

        part.Remove("apiVersion");
        part.Remove("kind");
        return part;
    }

    // The part of an object whose fields are tracked: no apiVersion, kind or server-owned metadata; status only
    // for status writes, and no status for main-resource writes when status is a subresource.
    private static JsonObject Tracked(ResourceDefinition definition, JsonObject obj, string subresource)
    {
        var copy = (JsonObject)obj.DeepClone();
        copy.Remove("apiVersion");
        copy.Remove("kind");
        if (copy["metadata"] is JsonObject meta)
        {
            foreach (var field in UntrackedMetadata)
            {
                meta.Remove(field);
            }
        }

        if (subresource == "status")
        {
            return new JsonObject { ["status"] = copy["status"]?.DeepClone() };
        }

        if (definition.HasStatus)
        {
            copy.Remove("status");
        }

        return copy;
    }

    // A create compares against the empty object Go decodes into: struct fields exist (empty) already, so only
    // maps and list items are recorded as added themselves ("."), as kube-apiserver records them.
    private static JsonObject Baseline(JsonObject next, FieldType type)
    {
        var baseline = new JsonObject();
        foreach (var (key, value) in next)
        {
            var fieldType = type.Field(key);
            if (value is JsonObject child && !fieldType.IsMap && !fieldType.Atomic && key != "status")
            {
                baseline[key] = Baseline(child, fieldType);
            }
        }

        return baseline;
    }

    private static JsonArray? Encode(List<ManagedFieldsEntry> entries)
    {
        var kept = entries.Where(e => !e.Fields.IsEmpty).ToList();
        return kept.Count == 0 ? null : ManagedFieldsCodec.Encode(kept);
    }

    private string Now() => time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
