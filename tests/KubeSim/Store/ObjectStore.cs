using System.Globalization;
using System.Text.Json.Nodes;
using KubeSim.ManagedFields;
using Microsoft.Extensions.Logging;

namespace KubeSim;

/// <summary>
/// The cluster state: a thread-safe in-memory store keyed by (group, plural, namespace, name) with a
/// cluster-wide resourceVersion. All writes go through one lock, which also orders watch delivery.
/// Callers only ever get copies.
/// </summary>
internal sealed partial class ObjectStore
{
    private const string ForegroundFinalizer = "foregroundDeletion";
    private static readonly ResourceId NamespaceResource = new("", "v1", "namespaces");

    private readonly Lock gate = new();
    private readonly Dictionary<(string Group, string Plural), SortedDictionary<string, JsonObject>> tables = [];
    private readonly WatchHub hub;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly ClusterIpAllocator clusterIps = new();
    private readonly FieldManager fieldManager;
    private long revision;
    private long collectedAt = -1;

    internal ObjectStore(ResourceRegistry registry, int historyWindow, TimeProvider time, ILogger logger)
    {
        Registry = registry;
        hub = new WatchHub(historyWindow);
        this.time = time;
        this.logger = logger;
        fieldManager = new FieldManager(time);
    }

    /// <summary>The served resources (built-ins and established CRDs).</summary>
    public ResourceRegistry Registry { get; }

    /// <summary>The latest committed resourceVersion.</summary>
    public long CurrentRevision
    {
        get
        {
            lock (gate)
            {
                return revision;
            }
        }
    }

    /// <summary>A copy of the named object, or null.</summary>
    public JsonObject? Get(ResourceId r, string? ns, string name)
    {
        var def = Definition(r);
        lock (gate)
        {
            return Table(def).TryGetValue(Key(def, ns, name), out var obj) ? Output(def, obj) : null;
        }
    }

    /// <summary>Copies of every object of the resource in a namespace (null: all namespaces), in key order.</summary>
    public IReadOnlyList<JsonObject> List(ResourceId r, string? ns) => ListPage(r, ns, static _ => true, null, null).Items;

    internal ListPage ListPage(ResourceId r, string? ns, Func<JsonObject, bool> filter, int? limit, string? continueToken)
    {
        var def = Definition(r);
        lock (gate)
        {
            var (listRevision, after) = continueToken is null ? (revision, (string?)null) : ContinueToken.Decode(continueToken);
            var matching = Scan(def, ns).Where(kv => after is null || string.CompareOrdinal(kv.Key, after) > 0).Where(kv => filter(kv.Value));
            var items = new List<JsonObject>();
            string? last = null;
            long remaining = 0;
            foreach (var (key, obj) in matching)
            {
                if (limit is > 0 && items.Count >= limit)
                {
                    remaining++;
                    continue;
                }

                items.Add(Output(def, obj));
                last = key;
            }

            return remaining > 0
                ? new ListPage(items, listRevision, ContinueToken.Encode(listRevision, last!), remaining)
                : new ListPage(items, listRevision, null, null);
        }
    }

    /// <summary>Creates an object (generateName, uid, timestamps, resourceVersion, generation 1).</summary>
    public JsonObject Create(ResourceId r, string? ns, JsonObject obj) => Create(r, ns, obj, WriteContext.InProcess);

    internal JsonObject Create(ResourceId r, string? ns, JsonObject obj, WriteContext context)
    {
        var def = Definition(r);
        lock (gate)
        {
            return Output(def, CreateLocked(def, ns, obj, context));
        }
    }

    /// <summary>
    /// Replaces an object. A resourceVersion in obj must match (409 Conflict otherwise); without one the update
    /// is unconditional. With status=true only status changes; otherwise status is kept (when the resource has a
    /// status subresource) and generation increments when anything outside metadata and status changed.
    /// </summary>
    public JsonObject Update(ResourceId r, string? ns, JsonObject obj, bool status = false) =>
        Update(r, ns, obj, status, WriteContext.InProcess with { Subresource = status ? "status" : "" });

    internal JsonObject Update(ResourceId r, string? ns, JsonObject obj, bool status, WriteContext context)
    {
        var def = Definition(r);
        lock (gate)
        {
            var name = ObjectMeta.Name(obj);
            if (!Table(def).TryGetValue(Key(def, ns, name), out var existing))
            {
                if (def.AllowCreateOnUpdate && !status)
                {
                    return Output(def, CreateLocked(def, ns, obj, context));
                }

                throw StatusErrors.NotFound(def.Id, name);
            }

            return Output(def, UpdateLocked(def, existing, obj, status, context));
        }
    }

    /// <summary>
    /// Reads, transforms and writes an object atomically (used by PATCH): the transform gets a copy of the
    /// current object and returns the desired one.
    /// </summary>
    public JsonObject Patch(ResourceId r, string? ns, string name, Func<JsonObject, JsonObject> transform, bool status = false) =>
        Patch(r, ns, name, transform, status, WriteContext.InProcess with { Subresource = status ? "status" : "" });

    internal JsonObject Patch(ResourceId r, string? ns, string name, Func<JsonObject, JsonObject> transform, bool status, WriteContext context) =>
        Upsert(r, ns, name, current => transform(current ?? throw StatusErrors.NotFound(r, name)), status, context);

    /// <summary>
    /// Server-side apply of <paramref name="config"/> for the context's manager: merged into the live object (which is
    /// created when absent, except through status), conflicts refused unless forced, then admitted by
    /// <paramref name="admit"/> (schema pruning, defaulting and validation) and written.
    /// </summary>
    internal JsonObject Apply(ResourceId r, string? ns, string name, JsonObject config, bool force, bool status, WriteContext context, Func<JsonObject, JsonObject> admit)
    {
        var def = Definition(r);
        return Upsert(r, ns, name, current => admit(fieldManager.Apply(def, current, config, context.Manager, force, context.Subresource)), status, context with { Applied = true });
    }

    private JsonObject Upsert(ResourceId r, string? ns, string name, Func<JsonObject?, JsonObject> transform, bool status, WriteContext context)
    {
        var def = Definition(r);
        lock (gate)
        {
            if (!Table(def).TryGetValue(Key(def, ns, name), out var existing))
            {
                if (status)
                {
                    throw StatusErrors.NotFound(def.Id, name);
                }

                var created = transform(null);
                return Output(def, CreateLocked(def, ns, created, context));
            }

            var desired = transform(Output(def, existing));
            if (ObjectMeta.Name(desired) != name)
            {
                throw StatusErrors.BadRequest("the name of the object in the patch does not match the name on the request");
            }

            return Output(def, UpdateLocked(def, existing, desired, status, context));
        }
    }

    /// <summary>
    /// Deletes an object. With finalizers it only gets deletionTimestamp and stays until they are removed.
    /// Returns the object as it was deleted (or as it now waits for finalizers).
    /// </summary>
    public JsonObject Delete(ResourceId r, string? ns, string name, DeleteOptions? options = null)
    {
        var def = Definition(r);
        lock (gate)
        {
            if (!Table(def).TryGetValue(Key(def, ns, name), out var existing))
            {
                throw StatusErrors.NotFound(def.Id, name);
            }

            if (def.Id == NamespaceResource && name is "default" or "kube-system" or "kube-public")
            {
                throw new ApiException(403, "Forbidden", $"namespaces \"{name}\" is forbidden: this namespace may not be deleted") { Details = new JsonObject { ["name"] = name, ["kind"] = "namespaces" } };
            }

            if (options?.PreconditionUid is { } uid && uid != ObjectMeta.Get(existing, "uid"))
            {
                throw StatusErrors.Conflict(def.Id, name, $"Precondition failed: UID in precondition: {uid}, UID in object meta: {ObjectMeta.Get(existing, "uid")}");
            }

            if (options?.PreconditionResourceVersion is { } rv && rv != ObjectMeta.Get(existing, "resourceVersion"))
            {
                throw StatusErrors.Conflict(def.Id, name, $"Precondition failed: ResourceVersion in precondition: {rv}, ResourceVersion in object meta: {ObjectMeta.Get(existing, "resourceVersion")}");
            }

            return Output(def, DeleteLocked(def, existing, options?.PropagationPolicy));
        }
    }

    /// <summary>
    /// Calls handler for every object of the resource (as ADDED) and then for every change, in commit order,
    /// on a background task. Dispose to stop.
    /// </summary>
    public IDisposable Subscribe(ResourceId r, Action<WatchEvent> handler)
    {
        var def = Definition(r);
        lock (gate)
        {
            var subscriber = new CallbackSubscriber(def, handler, Unwatch, logger);
            foreach (var (_, obj) in Scan(def, null))
            {
                subscriber.Offer(Synthetic(def, obj));
            }

            hub.Add(subscriber);
            return subscriber;
        }
    }

    /// <summary>
    /// Registers an HTTP watcher. Without a resourceVersion (or "0") the current objects arrive first as ADDED;
    /// with one, the retained events after it are replayed (410 Gone when they were compacted away).
    /// </summary>
    internal StreamWatcher Watch(ResourceId r, string? ns, WatchRequest request)
    {
        const int LiveBuffer = 1024;
        var def = Definition(r);
        lock (gate)
        {
            var fromState = request.SendInitialEvents || request.FromRevision is null or 0;
            var initial = fromState
                ? Scan(def, ns).Select(kv => Synthetic(def, kv.Value)).ToList()
                : hub.Since(request.FromRevision!.Value).ToList();
            var watcher = new StreamWatcher(def, ns, request, initial.Count + LiveBuffer);
            foreach (var e in initial)
            {
                watcher.Offer(e);
            }

            if (request.SendInitialEvents)
            {
                watcher.InitialEventsEnd(revision);
            }

            hub.Add(watcher);
            return watcher;
        }
    }

    internal void Unwatch(WatchSink sink)
    {
        lock (gate)
        {
            hub.Remove(sink);
            sink.Close();
        }
    }

    /// <summary>Sends a BOOKMARK at the current revision to every watch that asked for bookmarks.</summary>
    internal void SendBookmarks()
    {
        lock (gate)
        {
            hub.Bookmark(revision);
        }
    }

    /// <summary>Ends every HTTP watch; clients see the stream close and re-watch.</summary>
    internal void DropWatches()
    {
        lock (gate)
        {
            hub.DropStreams();
        }
    }

    /// <summary>Closes every subscriber, HTTP and in-process (server disposal).</summary>
    internal IReadOnlyList<Task> CloseAll()
    {
        lock (gate)
        {
            var pumps = hub.Sinks.OfType<CallbackSubscriber>().Select(s => s.Completion).ToList();
            foreach (var sink in hub.Sinks.ToList())
            {
                sink.Close();
                hub.Remove(sink);
            }

            return pumps;
        }
    }

    /// <summary>
    /// One pass of the garbage collector and the namespace and CRD finalizers: plans the deletion of dependents
    /// whose owners are all gone or being deleted in the foreground and of the content of terminating namespaces
    /// (the caller deletes them through admission, as the controllers' users), releases foreground deletions
    /// without dependents, removes terminating namespaces once empty and CRDs once their instances are gone.
    /// </summary>
    internal IReadOnlyList<PlannedDeletion> CollectGarbage()
    {
        lock (gate)
        {
            if (collectedAt == revision)
            {
                return [];
            }

            // A pass that deletes owners orphans their dependents in turn (Deployment → ReplicaSets → Pods):
            // only a pass that changed and planned nothing lets the next one be skipped.
            var startedAt = revision;
            var plan = new List<PlannedDeletion>();

            var all = tables.SelectMany(t => t.Value.Select(kv => (Table: t.Key, kv.Key, Object: kv.Value))).ToList();
            var live = all.ToDictionary(x => ObjectMeta.Get(x.Object, "uid") ?? "", x => x.Object);
            var foreground = live.Where(kv => ObjectMeta.IsDeleting(kv.Value) && ObjectMeta.Finalizers(kv.Value).Contains(ForegroundFinalizer))
                .Select(kv => kv.Key).ToHashSet();
            var referenced = new HashSet<string>();
            foreach (var (table, key, obj) in all)
            {
                var owners = ObjectMeta.OwnerUids(obj);
                referenced.UnionWith(owners);
                var orphaned = owners.Count > 0 && owners.All(o => !live.ContainsKey(o));
                var ownerLeavingInForeground = owners.Any(foreground.Contains);
                if ((orphaned || ownerLeavingInForeground) && !ObjectMeta.IsDeleting(obj) && Stored(table, key) is { } current)
                {
                    plan.Add(new PlannedDeletion(DefinitionOf(table), (JsonObject)current.DeepClone(), PlannedDeletion.GarbageCollector));
                }
            }

            foreach (var uid in foreground.Where(u => !referenced.Contains(u)))
            {
                var obj = live[uid];
                var table = all.First(x => ReferenceEquals(x.Object, obj)).Table;
                if (Stored(table, KeyOf(obj)) is { } current)
                {
                    var released = (JsonObject)current.DeepClone();
                    ObjectMeta.SetFinalizers(released, ObjectMeta.Finalizers(current).Where(f => f != ForegroundFinalizer));
                    UpdateLocked(DefinitionOf(table), current, released, false, WriteContext.InProcess);
                }
            }

            plan.AddRange(TerminatingNamespacesLocked());
            FinalizeCrdsLocked();
            collectedAt = plan.Count == 0 && revision == startedAt ? revision : -1;
            return plan;
        }
    }

    /// <summary>Carries out a planned deletion unless the object changed identity or is already being deleted.</summary>
    internal void DeletePlanned(PlannedDeletion deletion)
    {
        lock (gate)
        {
            if (Stored((deletion.Definition.Group, deletion.Definition.Plural), KeyOf(deletion.Object)) is { } current
                && ObjectMeta.Get(current, "uid") == ObjectMeta.Get(deletion.Object, "uid")
                && !ObjectMeta.IsDeleting(current))
            {
                DeleteLocked(deletion.Definition, current, null);
            }
        }
    }

    private JsonObject CreateLocked(ResourceDefinition def, string? ns, JsonObject input, WriteContext context)
    {
        var obj = (JsonObject)input.DeepClone();
        var meta = ObjectMeta.Metadata(obj);
        var name = ObjectMeta.Name(obj);
        if (name.Length == 0 && ObjectMeta.Get(obj, "generateName") is { Length: > 0 } prefix)
        {
            name = Names.Generate(prefix);
            meta["name"] = name;
        }

        if (name.Length == 0)
        {
            throw StatusErrors.Invalid(def.Group, def.Kind, "", [("FieldValueRequired", "Required value: name or generateName is required", "metadata.name")]);
        }

        if (Names.Problem(def, name) is { } problem)
        {
            throw StatusErrors.Invalid(def.Group, def.Kind, name, [("FieldValueInvalid", $"Invalid value: \"{name}\": {problem}", "metadata.name")]);
        }

        ns = CheckNamespace(def, ns, obj, name);
        var table = Table(def);
        var key = Key(def, ns, name);
        if (table.ContainsKey(key))
        {
            throw StatusErrors.AlreadyExists(def.Id, name);
        }

        foreach (var field in new[] { "resourceVersion", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink" })
        {
            meta.Remove(field);
        }

        meta["uid"] = Guid.NewGuid().ToString();
        meta["creationTimestamp"] = Now();
        meta["generation"] = 1;
        if (def.HasStatus)
        {
            obj.Remove("status");
        }

        KindDefaults.Apply(def, obj, creating: true);
        clusterIps.Assign(def, obj, existing: null);
        if (CrdLifecycle.Is(def))
        {
            AdmitCrd(obj, register: !context.DryRun);
        }

        if (!context.Applied)
        {
            SetManagedFields(obj, fieldManager.Update(def, null, obj, input, context.Manager, context.Subresource));
        }

        if (context.DryRun)
        {
            return obj;
        }

        Stamp(def, obj);
        table[key] = obj;
        hub.Publish(new StoredEvent(revision, def.Group, def.Plural, ns, "ADDED", (JsonObject)obj.DeepClone(), null));
        return obj;
    }

    private JsonObject UpdateLocked(ResourceDefinition def, JsonObject existing, JsonObject input, bool status, WriteContext context)
    {
        var name = ObjectMeta.Name(existing);
        var incomingRv = ObjectMeta.ResourceVersion(input);
        if (incomingRv is not null && incomingRv != ObjectMeta.ResourceVersion(existing))
        {
            throw StatusErrors.Conflict(def.Id, name);
        }

        if (ObjectMeta.Get(input, "uid") is { Length: > 0 } uid && uid != ObjectMeta.Get(existing, "uid"))
        {
            throw StatusErrors.Conflict(def.Id, name, $"Precondition failed: UID in precondition: {uid}, UID in object meta: {ObjectMeta.Get(existing, "uid")}");
        }

        JsonObject next;
        if (status)
        {
            // A status write changes status and nothing else.
            next = (JsonObject)existing.DeepClone();
            next["status"] = input["status"]?.DeepClone();
        }
        else
        {
            next = (JsonObject)input.DeepClone();
            var meta = ObjectMeta.Metadata(next);
            var old = ObjectMeta.Metadata(existing);
            foreach (var field in new[] { "name", "namespace", "uid", "creationTimestamp", "generation", "deletionTimestamp", "deletionGracePeriodSeconds" })
            {
                meta.Remove(field);
                if (old[field] is { } value)
                {
                    meta[field] = value.DeepClone();
                }
            }

            if (def.HasStatus)
            {
                next["status"] = existing["status"]?.DeepClone();
            }

            KindDefaults.Apply(def, next, creating: false);
            clusterIps.Assign(def, next, existing);
            CheckFinalizers(def, existing, next);
            if (CrdLifecycle.Is(def))
            {
                AdmitCrd(next, register: !context.DryRun);
            }

            if (!JsonNode.DeepEquals(SpecPart(existing, def.HasStatus), SpecPart(next, def.HasStatus)))
            {
                meta["generation"] = ObjectMeta.Generation(existing) + 1;
            }
        }

        next["apiVersion"] = existing["apiVersion"]?.DeepClone();
        next["kind"] = def.Kind;
        ObjectMeta.Metadata(next)["resourceVersion"] = ObjectMeta.Get(existing, "resourceVersion");
        if (next["status"] is null)
        {
            next.Remove("status");
        }

        SetManagedFields(next, context.Applied
            ? input["metadata"]?["managedFields"]?.DeepClone() as JsonArray
            : fieldManager.Update(def, existing, next, input, context.Manager, context.Subresource));
        if (Unchanged(existing, next))
        {
            // kube-apiserver does not bump resourceVersion or notify watchers for a no-op write.
            return existing;
        }

        if (context.DryRun)
        {
            return next;
        }

        if (ObjectMeta.IsDeleting(next) && ObjectMeta.Finalizers(next).Count == 0 && !HoldsNamespaceFinalizers(def, next))
        {
            // The update that releases the last finalizer deletes the object: watchers see only DELETED.
            return RemoveLocked(def, next);
        }

        Stamp(def, next);
        Table(def)[KeyOf(next)] = next;
        hub.Publish(new StoredEvent(revision, def.Group, def.Plural, ObjectMeta.Namespace(next), "MODIFIED", (JsonObject)next.DeepClone(), (JsonObject)existing.DeepClone()));
        return next;
    }

    // Equal objects whose managedFields differ only in their times: kube-apiserver keeps such a write a no-op.
    private static bool Unchanged(JsonObject existing, JsonObject next)
    {
        var before = (JsonObject)existing.DeepClone();
        var after = (JsonObject)next.DeepClone();
        var beforeFields = ObjectMeta.Metadata(before)["managedFields"]?.DeepClone();
        var afterFields = ObjectMeta.Metadata(after)["managedFields"]?.DeepClone();
        ObjectMeta.Metadata(before).Remove("managedFields");
        ObjectMeta.Metadata(after).Remove("managedFields");
        return JsonNode.DeepEquals(before, after) && FieldManager.SameIgnoringTime(beforeFields, afterFields);
    }

    private static void SetManagedFields(JsonObject obj, JsonArray? managedFields)
    {
        if (managedFields is null)
        {
            ObjectMeta.Metadata(obj).Remove("managedFields");
        }
        else
        {
            ObjectMeta.Metadata(obj)["managedFields"] = managedFields;
        }
    }

    private JsonObject DeleteLocked(ResourceDefinition def, JsonObject existing, string? propagationPolicy)
    {
        var uid = ObjectMeta.Get(existing, "uid") ?? "";
        var finalizers = ObjectMeta.Finalizers(existing).ToList();
        switch (propagationPolicy)
        {
            case null or "" or "Background":
                break;
            case "Orphan":
                Orphan(uid);
                break;
            case "Foreground":
                if (!finalizers.Contains(ForegroundFinalizer))
                {
                    finalizers.Add(ForegroundFinalizer);
                }

                break;
            default:
                throw StatusErrors.Invalid("", "DeleteOptions", "", [("FieldValueNotSupported", $"Unsupported value: \"{propagationPolicy}\": supported values: \"Foreground\", \"Background\", \"Orphan\"", "propagationPolicy")]);
        }

        if (def.Group.Length == 0 && def.Plural == "namespaces")
        {
            return TerminateNamespace(def, existing);
        }

        if (CrdLifecycle.Is(def) && !ObjectMeta.IsDeleting(existing))
        {
            // The apiextensions server adds its cleanup finalizer on the first delete: instances go first.
            return MarkCrdTerminating(def, existing, finalizers);
        }

        if (finalizers.Count == 0)
        {
            return RemoveLocked(def, existing);
        }

        if (ObjectMeta.IsDeleting(existing) && finalizers.SequenceEqual(ObjectMeta.Finalizers(existing)))
        {
            return existing;
        }

        var next = (JsonObject)existing.DeepClone();
        var meta = ObjectMeta.Metadata(next);
        meta["deletionTimestamp"] ??= Now();
        meta["deletionGracePeriodSeconds"] ??= 0;
        ObjectMeta.SetFinalizers(next, finalizers);
        Stamp(def, next);
        Table(def)[KeyOf(next)] = next;
        hub.Publish(new StoredEvent(revision, def.Group, def.Plural, ObjectMeta.Namespace(next), "MODIFIED", (JsonObject)next.DeepClone(), (JsonObject)existing.DeepClone()));
        return next;
    }

    private JsonObject RemoveLocked(ResourceDefinition def, JsonObject existing)
    {
        var removed = (JsonObject)existing.DeepClone();
        Table(def).Remove(KeyOf(removed));
        Stamp(def, removed);
        hub.Publish(new StoredEvent(revision, def.Group, def.Plural, ObjectMeta.Namespace(removed), "DELETED", (JsonObject)removed.DeepClone(), null));
        if (CrdLifecycle.Is(def))
        {
            RetireCrd(removed);
        }

        return removed;
    }

    private void Orphan(string ownerUid)
    {
        foreach (var (table, obj) in tables.SelectMany(t => t.Value.Values.Select(v => (t.Key, v))).ToList())
        {
            if (!ObjectMeta.OwnerUids(obj).Contains(ownerUid))
            {
                continue;
            }

            var next = (JsonObject)obj.DeepClone();
            var refs = new JsonArray([.. ((JsonArray)next["metadata"]!["ownerReferences"]!).Where(o => o?["uid"]?.GetValue<string>() != ownerUid).Select(o => o!.DeepClone())]);
            ObjectMeta.Metadata(next)["ownerReferences"] = refs;
            if (refs.Count == 0)
            {
                ObjectMeta.Metadata(next).Remove("ownerReferences");
            }

            UpdateLocked(DefinitionOf(table), obj, next, false, WriteContext.InProcess);
        }
    }

    private void CheckFinalizers(ResourceDefinition def, JsonObject existing, JsonObject next)
    {
        if (!ObjectMeta.IsDeleting(existing))
        {
            return;
        }

        var added = ObjectMeta.Finalizers(next).Except(ObjectMeta.Finalizers(existing)).ToList();
        if (added.Count > 0)
        {
            var list = string.Join(", ", added.Select(f => $"\"{f}\""));
            throw StatusErrors.Invalid(def.Group, def.Kind, ObjectMeta.Name(existing),
                [("FieldValueForbidden", $"Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{{{list}}}", "metadata.finalizers")]);
        }
    }

    private string? CheckNamespace(ResourceDefinition def, string? ns, JsonObject obj, string name)
    {
        var meta = ObjectMeta.Metadata(obj);
        if (!def.Namespaced)
        {
            meta.Remove("namespace");
            return null;
        }

        var declared = ObjectMeta.Namespace(obj);
        ns ??= declared;
        if (string.IsNullOrEmpty(ns))
        {
            throw StatusErrors.BadRequest("the server could not find the requested resource: a namespace is required");
        }

        if (!string.IsNullOrEmpty(declared) && declared != ns)
        {
            throw StatusErrors.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }

        if (!Table(Definition(NamespaceResource)).TryGetValue(ns, out var nsObject))
        {
            throw StatusErrors.NotFound(NamespaceResource, ns);
        }

        if (ObjectMeta.IsDeleting(nsObject))
        {
            throw StatusErrors.NamespaceTerminating(def.Id, name, ns);
        }

        meta["namespace"] = ns;
        return ns;
    }

    private void AdmitCrd(JsonObject crd, bool register)
    {
        var causes = CrdLifecycle.Validate(crd);
        if (causes.Count > 0)
        {
            throw StatusErrors.Invalid(CrdLifecycle.Resource.Group, "CustomResourceDefinition", ObjectMeta.Name(crd), causes);
        }

        var definitions = CrdLifecycle.Definitions(crd);
        CrdLifecycle.Establish(crd, ObjectMeta.Get(crd, "creationTimestamp") ?? Now());
        var group = crd["spec"]!["group"]!.GetValue<string>();
        var plural = crd["spec"]!["names"]!["plural"]!.GetValue<string>();
        if (register)
        {
            Registry.Replace(group, plural, definitions);
        }
    }

    private void RetireCrd(JsonObject crd)
    {
        var group = crd["spec"]?["group"]?.GetValue<string>() ?? "";
        var plural = crd["spec"]?["names"]?["plural"]?.GetValue<string>() ?? "";
        if (Registry.FindAnyVersion(group, plural) is { } def && tables.TryGetValue((group, plural), out var table))
        {
            foreach (var obj in table.Values.ToList())
            {
                RemoveLocked(def, obj);
            }
        }

        tables.Remove((group, plural));
        hub.DropStreams(group, plural);
        Registry.Replace(group, plural, []);
    }

    private void Stamp(ResourceDefinition def, JsonObject obj)
    {
        revision++;
        obj["apiVersion"] ??= def.Id.ApiVersion;
        obj["kind"] = def.Kind;
        ObjectMeta.Metadata(obj)["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture);
    }

    private StoredEvent Synthetic(ResourceDefinition def, JsonObject obj) =>
        new(ObjectMeta.ResourceVersion(obj) ?? revision, def.Group, def.Plural, ObjectMeta.Namespace(obj), "ADDED", obj, null);

    private IEnumerable<KeyValuePair<string, JsonObject>> Scan(ResourceDefinition def, string? ns)
    {
        var table = Table(def);
        return def.Namespaced && ns is not null
            ? table.Where(kv => kv.Key.StartsWith(ns + "/", StringComparison.Ordinal))
            : table;
    }

    private JsonObject? Stored((string Group, string Plural) table, string key) =>
        tables.TryGetValue(table, out var t) && t.TryGetValue(key, out var obj) ? obj : null;

    private ResourceDefinition DefinitionOf((string Group, string Plural) table) =>
        Registry.FindAnyVersion(table.Group, table.Plural) ?? throw StatusErrors.Internal($"no definition for {table.Plural}.{table.Group}");

    private ResourceDefinition Definition(ResourceId r) => Registry.Find(r) ?? throw StatusErrors.PathNotFound();

    private SortedDictionary<string, JsonObject> Table(ResourceDefinition def)
    {
        if (!tables.TryGetValue((def.Group, def.Plural), out var table))
        {
            table = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
            tables[(def.Group, def.Plural)] = table;
        }

        return table;
    }

    private static string Key(ResourceDefinition def, string? ns, string name) => def.Namespaced ? $"{ns}/{name}" : name;

    private static string KeyOf(JsonObject obj) =>
        ObjectMeta.Namespace(obj) is { Length: > 0 } ns ? $"{ns}/{ObjectMeta.Name(obj)}" : ObjectMeta.Name(obj);

    // What generation tracks: everything but metadata, and but status when status has its own subresource
    // (without one, a status change is a change of the object like any other, as for CRDs in kube-apiserver).
    private static JsonObject SpecPart(JsonObject obj, bool statusIsSubresource)
    {
        var part = new JsonObject();
        foreach (var (key, value) in obj)
        {
            if (key is not ("apiVersion" or "kind" or "metadata") && !(statusIsSubresource && key == "status"))
            {
                part[key] = value?.DeepClone();
            }
        }

        return part;
    }

    private static JsonObject Output(ResourceDefinition def, JsonObject obj)
    {
        var copy = (JsonObject)obj.DeepClone();
        copy["apiVersion"] = def.Id.ApiVersion;
        copy["kind"] = def.Kind;
        return copy;
    }

    private string Now() => time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
