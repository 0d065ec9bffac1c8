using System.Text.Json.Nodes;

namespace KubeSim;

/// <summary>Namespace termination and CRD deletion, as the namespace controller and the apiextensions finalizer do them.</summary>
internal sealed partial class ObjectStore
{
    // DELETE of a namespace: deletionTimestamp and phase Terminating; the namespace controller does the rest.
    private JsonObject TerminateNamespace(ResourceDefinition def, JsonObject existing)
    {
        if (ObjectMeta.IsDeleting(existing))
        {
            return existing;
        }

        var next = (JsonObject)existing.DeepClone();
        ObjectMeta.Metadata(next)["deletionTimestamp"] = Now();
        ObjectMeta.Metadata(next)["deletionGracePeriodSeconds"] = 0;
        next["status"] = new JsonObject { ["phase"] = "Terminating" };
        if (!HoldsNamespaceFinalizers(def, next) && ObjectMeta.Finalizers(next).Count == 0)
        {
            return RemoveLocked(def, next);
        }

        Stamp(def, next);
        Table(def)[KeyOf(next)] = next;
        hub.Publish(new StoredEvent(revision, def.Group, def.Plural, null, "MODIFIED", (JsonObject)next.DeepClone(), (JsonObject)existing.DeepClone()));
        collectedAt = -1;
        return next;
    }

    // A namespace stays while spec.finalizers holds "kubernetes", whatever metadata.finalizers says.
    private static bool HoldsNamespaceFinalizers(ResourceDefinition def, JsonObject obj) =>
        def.Group.Length == 0 && def.Plural == "namespaces" && NamespaceConditions.SpecFinalizers(obj).Count > 0;

    // The namespace controller's pass: plan deleting the content, report what remains, finalize when empty.
    private List<PlannedDeletion> TerminatingNamespacesLocked()
    {
        var plan = new List<PlannedDeletion>();
        var nsDef = Definition(NamespaceResource);
        foreach (var ns in Table(nsDef).Values.Where(ObjectMeta.IsDeleting).ToList())
        {
            var name = ObjectMeta.Name(ns);
            var contents = tables.Where(t => DefinitionOf(t.Key).Namespaced)
                .SelectMany(t => t.Value.Where(kv => kv.Key.StartsWith(name + "/", StringComparison.Ordinal)).Select(kv => (Definition: DefinitionOf(t.Key), Object: kv.Value)))
                .ToList();
            plan.AddRange(contents.Where(c => !ObjectMeta.IsDeleting(c.Object))
                .Select(c => new PlannedDeletion(c.Definition, (JsonObject)c.Object.DeepClone(), PlannedDeletion.NamespaceController)));

            var status = new JsonObject
            {
                ["phase"] = "Terminating",
                ["conditions"] = NamespaceConditions.For(contents, ns["status"]?["conditions"] as JsonArray, Now()),
            };
            var current = JsonNode.DeepEquals(ns["status"], status) ? ns : UpdateLocked(nsDef, ns, new JsonObject { ["status"] = status }, true, WriteContext.InProcess with { Subresource = "status" });
            if (contents.Count == 0 && NamespaceConditions.SpecFinalizers(current).Contains(NamespaceConditions.SpecFinalizer))
            {
                var finalized = (JsonObject)current.DeepClone();
                finalized["spec"]!["finalizers"] = new JsonArray([.. NamespaceConditions.SpecFinalizers(current).Where(f => f != NamespaceConditions.SpecFinalizer).Select(f => (JsonNode)JsonValue.Create(f))]);
                UpdateLocked(nsDef, current, finalized, false, WriteContext.InProcess);
            }
        }

        return plan;
    }

    private JsonObject MarkCrdTerminating(ResourceDefinition def, JsonObject existing, List<string> finalizers)
    {
        var next = (JsonObject)existing.DeepClone();
        ObjectMeta.Metadata(next)["deletionTimestamp"] = Now();
        ObjectMeta.Metadata(next)["deletionGracePeriodSeconds"] = 0;
        if (!finalizers.Contains(CrdLifecycle.CleanupFinalizer))
        {
            finalizers.Add(CrdLifecycle.CleanupFinalizer);
        }

        ObjectMeta.SetFinalizers(next, finalizers);
        CrdLifecycle.SetTerminating(next, "InstanceDeletionPending", "CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon", Now());
        Stamp(def, next);
        Table(def)[KeyOf(next)] = next;
        hub.Publish(new StoredEvent(revision, def.Group, def.Plural, null, "MODIFIED", (JsonObject)next.DeepClone(), (JsonObject)existing.DeepClone()));
        collectedAt = -1;
        return next;
    }

    // The apiextensions finalizer: delete every instance (their finalizers hold them), then release the CRD.
    private void FinalizeCrdsLocked()
    {
        var crdDef = Definition(CrdLifecycle.Resource);
        foreach (var crd in Table(crdDef).Values.Where(c => ObjectMeta.IsDeleting(c) && ObjectMeta.Finalizers(c).Contains(CrdLifecycle.CleanupFinalizer)).ToList())
        {
            var group = crd["spec"]?["group"]?.GetValue<string>() ?? "";
            var plural = crd["spec"]?["names"]?["plural"]?.GetValue<string>() ?? "";
            if (Registry.FindAnyVersion(group, plural) is { } def && tables.TryGetValue((group, plural), out var instances))
            {
                foreach (var instance in instances.Values.Where(i => !ObjectMeta.IsDeleting(i)).ToList())
                {
                    DeleteLocked(def, instance, null);
                }
            }

            var remaining = tables.TryGetValue((group, plural), out var left) ? left.Count : 0;
            if (remaining > 0)
            {
                var next = (JsonObject)crd.DeepClone();
                CrdLifecycle.SetTerminating(next, "InstanceDeletionInProgress", "CustomResource deletion is in progress", Now());
                if (!JsonNode.DeepEquals(next["status"], crd["status"]))
                {
                    UpdateLocked(crdDef, crd, next, true, WriteContext.InProcess with { Subresource = "status" });
                }

                continue;
            }

            var released = (JsonObject)crd.DeepClone();
            ObjectMeta.SetFinalizers(released, ObjectMeta.Finalizers(crd).Where(f => f != CrdLifecycle.CleanupFinalizer));
            UpdateLocked(crdDef, crd, released, false, WriteContext.InProcess);
        }
    }
}
