using System.Text.Json.Nodes;

namespace KubeSim.Controllers;

/// <summary>What every simulated controller shares: the store, options, clock and the work queue.</summary>
internal sealed class ControllerContext(ObjectStore store, KubeSimOptions options, TimeProvider time, Action<WorkItem> enqueue, Action<WorkItem, TimeSpan> enqueueAfter)
{
    public ObjectStore Store { get; } = store;

    public KubeSimOptions Options { get; } = options;

    public DateTimeOffset Now => time.GetUtcNow();

    private readonly ControllerLag lag = new(options.ControllerLag);

    public IReadOnlyList<string> NodeNames { get; } = [.. Enumerable.Range(0, Math.Max(1, options.NodeCount)).Select(i => $"kubesim-node-{i}")];

    public void Enqueue(WorkItem item) => enqueue(item);

    /// <summary>True while the simulated lag holds the controller back from this generation (it is woken when it ends).</summary>
    public bool Lagging(JsonObject obj, WorkItem item)
    {
        if (lag.Remaining(obj, Now) is not { } remaining)
        {
            return false;
        }

        EnqueueAfter(item, remaining);
        return true;
    }

    public void EnqueueAfter(WorkItem item, TimeSpan delay) => enqueueAfter(item, delay);

    /// <summary>Objects of a resource in a namespace that the owner controls and that are not being deleted.</summary>
    public List<JsonObject> Owned(ResourceId resource, string ns, string ownerUid) =>
        // Filtered inside the store so that only the owner's objects are copied out.
        [.. Store.ListPage(resource, ns, o => WorkloadObjects.IsControlledBy(o, ownerUid) && !WorkloadObjects.IsDeleting(o), null, null).Items];

    /// <summary>
    /// Adopts orphans, as real controllers do: objects without a controller that the owner's selector matches get
    /// the owner as controller (after <c>delete --cascade=orphan</c> and re-creation, nothing is rebuilt).
    /// </summary>
    public void Adopt(ResourceId resource, string ns, JsonObject owner, string kind, Func<JsonObject, bool>? isMember = null)
    {
        var selector = owner["spec"]?["selector"];
        var reference = WorkloadObjects.OwnerReference(owner, "apps/v1", kind);
        var orphans = Store.ListPage(resource, ns, o => WorkloadObjects.ControllerOf(o) is null && !WorkloadObjects.IsDeleting(o) && WorkloadSelector.Matches(selector, o), null, null).Items;
        foreach (var orphan in orphans.Where(o => isMember is null || isMember(o)))
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

    /// <summary>
    /// Counts the pods that are available: Ready for at least the owner's <c>spec.minReadySeconds</c> (measured from the
    /// Ready condition's lastTransitionTime, as the real controllers do). Wakes the owner when the next one will be.
    /// </summary>
    public int CountAvailable(IEnumerable<JsonObject> pods, JsonObject owner, WorkItem owningItem)
    {
        var minReady = TimeSpan.FromSeconds(WorkloadObjects.Int(owner["spec"]?["minReadySeconds"], 0));
        var now = Now;
        var available = 0;
        TimeSpan? nextWake = null;
        foreach (var pod in pods.Where(WorkloadObjects.IsPodReady))
        {
            var readySince = WorkloadObjects.ReadySince(pod) ?? now;
            var wait = readySince + minReady - now;
            if (minReady == TimeSpan.Zero || wait < TimeSpan.Zero)
            {
                available++;
            }
            else if (nextWake is null || wait < nextWake)
            {
                nextWake = wait;
            }
        }

        if (nextWake is { } delay)
        {
            EnqueueAfter(owningItem, delay + TimeSpan.FromMilliseconds(10));
        }

        return available;
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
