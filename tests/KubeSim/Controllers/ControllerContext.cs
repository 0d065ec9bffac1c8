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
