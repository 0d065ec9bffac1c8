using System.Text.Json.Nodes;

namespace KubeSim.Controllers;

/// <summary>What every simulated controller shares: the store, options, clock and the work queue.</summary>
internal sealed class ControllerContext(ObjectStore store, KubeSimOptions options, TimeProvider time, Action<WorkItem> enqueue, Action<WorkItem, TimeSpan> enqueueAfter)
{
    public ObjectStore Store { get; } = store;

    public KubeSimOptions Options { get; } = options;

    public DateTimeOffset Now => time.GetUtcNow();

    public IReadOnlyList<string> NodeNames { get; } = [.. Enumerable.Range(0, Math.Max(1, options.NodeCount)).Select(i => $"kubesim-node-{i}")];

    public void Enqueue(WorkItem item) => enqueue(item);

    public void EnqueueAfter(WorkItem item, TimeSpan delay) => enqueueAfter(item, delay);

    /// <summary>Objects of a resource in a namespace that the owner controls and that are not being deleted.</summary>
    public List<JsonObject> Owned(ResourceId resource, string ns, string ownerUid) =>
        [.. Store.List(resource, ns).Where(o => WorkloadObjects.IsControlledBy(o, ownerUid) && !WorkloadObjects.IsDeleting(o))];

    /// <summary>
    /// Adopts orphans, as real controllers do: objects without a controller that the owner's selector matches get
    /// the owner as controller (after <c>delete --cascade=orphan</c> and re-creation, nothing is rebuilt).
    /// </summary>
    public void Adopt(ResourceId resource, string ns, JsonObject owner, string kind, Func<JsonObject, bool>? isMember = null)
    {
        var selector = owner["spec"]?["selector"];
        var reference = WorkloadObjects.OwnerReference(owner, "apps/v1", kind);
        foreach (var orphan in Store.List(resource, ns).Where(o => WorkloadObjects.ControllerOf(o) is null && !WorkloadObjects.IsDeleting(o) && WorkloadSelector.Matches(selector, o) && (isMember is null || isMember(o))))
        {
            Store.Patch(resource, ns, WorkloadObjects.Name(orphan), current =>
            {
                var refs = WorkloadObjects.Metadata(current)["ownerReferences"] as JsonArray ?? [];
                refs.Add(reference.DeepClone());
                WorkloadObjects.Metadata(current)["ownerReferences"] = refs;
                return current;
            });
        }
    }

    /// <summary>Writes a new status through the status subresource when it differs from the stored one.</summary>
    public void WriteStatus(ResourceId resource, JsonObject obj, JsonObject status)
    {
        if (JsonNode.DeepEquals(obj["status"], status))
        {
            return;
        }

        Store.Patch(resource, Namespace(obj), WorkloadObjects.Name(obj), current =>
        {
            current["status"] = status.DeepClone();
            return current;
        }, status: true);
    }

    /// <summary>Deletes an object; one already gone counts as deleted.</summary>
    public void DeleteIfPresent(ResourceId resource, string ns, string name)
    {
        try
        {
            Store.Delete(resource, ns, name);
        }
        catch (ApiException e) when (e.Code == 404)
        {
            // Deleted under us: the goal is met.
        }
    }

    public static string Namespace(JsonObject obj) => WorkloadObjects.Text(obj["metadata"]?["namespace"]) ?? string.Empty;
}
