using System.Globalization;
using System.Text.Json.Nodes;

namespace KubeSim.Controllers;

/// <summary>
/// The StatefulSet controller: pods <c>name-0..n-1</c> created in order (each once the previous is Ready,
/// unless podManagementPolicy is Parallel), revisions named <c>name-hash</c>, and a rolling update that
/// replaces pods from the highest ordinal down, one at a time, once all are Ready.
/// </summary>
internal sealed class StatefulSetController(ControllerContext context)
{
    public const string RevisionLabel = "controller-revision-hash";

    public void Reconcile(string ns, string name)
    {
        var set = context.Store.Get(WorkloadResources.StatefulSets, ns, name);
        if (set is null || WorkloadObjects.IsDeleting(set))
        {
            return;
        }

        if (context.Lagging(set, new WorkItem(WorkloadKind.StatefulSet, ns, name)))
        {
            return;
        }

        var spec = set["spec"] as JsonObject ?? [];
        var desired = WorkloadObjects.Int(spec["replicas"], 1);
        var parallel = WorkloadObjects.Text(spec["podManagementPolicy"]) == "Parallel";
        var updateRevision = $"{name}-{TemplateHash.Compute(spec["template"])}";
        // Only pods carrying one of this set's ordinal names can be its members.
        context.Adopt(WorkloadResources.Pods, ns, set, "StatefulSet", pod => Ordinal(WorkloadObjects.Name(pod), name) is not null);
        var pods = OwnedByOrdinal(set, ns, name);
        if (!Converge(set, ns, name, pods, desired, parallel, updateRevision))
        {
            pods = OwnedByOrdinal(set, ns, name);
        }

        var available = context.CountAvailable(pods.Values, set, new WorkItem(WorkloadKind.StatefulSet, ns, name));
        WriteStatus(set, pods, desired, updateRevision, available);
    }

    // Returns true when nothing was written, so the listed pods are still current.
    private bool Converge(JsonObject set, string ns, string name, SortedDictionary<int, JsonObject> pods, int desired, bool parallel, string updateRevision)
    {
        for (var ordinal = 0; ordinal < desired; ordinal++)
        {
            if (!pods.TryGetValue(ordinal, out var pod))
            {
                CreatePod(set, ns, name, ordinal, updateRevision);
                if (!parallel)
                {
                    return false;
                }
            }
            else if (!parallel && !WorkloadObjects.IsPodReady(pod))
            {
                return true;
            }
        }

        if (pods.Count < desired)
        {
            return false;
        }

        var surplus = pods.Keys.Where(o => o >= desired).OrderDescending().ToList();
        if (surplus.Count > 0)
        {
            foreach (var ordinal in parallel ? surplus : surplus.Take(1))
            {
                context.DeleteIfPresent(WorkloadResources.Pods, ns, WorkloadObjects.Name(pods[ordinal]));
            }

            return false;
        }

        var strategy = set["spec"]?["updateStrategy"];
        if (WorkloadObjects.Text(strategy?["type"]) == "OnDelete" || !pods.Values.All(WorkloadObjects.IsPodReady))
        {
            return true;
        }

        // Replace the highest-ordinal pod still on an old revision; its recreation comes with the next event.
        var partition = WorkloadObjects.Int(strategy?["rollingUpdate"]?["partition"], 0);
        var stale = pods.Where(p => p.Key >= partition && WorkloadObjects.Label(p.Value, RevisionLabel) != updateRevision)
            .Select(p => p.Value).LastOrDefault();
        if (stale is null)
        {
            return true;
        }

        context.DeleteIfPresent(WorkloadResources.Pods, ns, WorkloadObjects.Name(stale));
        return false;
    }

    private void CreatePod(JsonObject set, string ns, string name, int ordinal, string revision)
    {
        var podName = $"{name}-{ordinal.ToString(CultureInfo.InvariantCulture)}";
        var template = (JsonObject)(set["spec"]?["template"]?.DeepClone() ?? new JsonObject());
        var podSpec = WorkloadObjects.Child(template, "spec");
        podSpec["hostname"] = podName;
        if (WorkloadObjects.Text(set["spec"]?["serviceName"]) is { Length: > 0 } serviceName)
        {
            podSpec["subdomain"] = serviceName;
        }

        var labels = new Dictionary<string, string>
        {
            [RevisionLabel] = revision,
            ["statefulset.kubernetes.io/pod-name"] = podName,
            ["apps.kubernetes.io/pod-index"] = ordinal.ToString(CultureInfo.InvariantCulture),
        };
        var node = context.NodeNames[ordinal % context.NodeNames.Count];
        PodFactory.Create(context, ns, template, WorkloadObjects.OwnerReference(set, "apps/v1", "StatefulSet"), node, labels, name: podName);
    }

    private SortedDictionary<int, JsonObject> OwnedByOrdinal(JsonObject set, string ns, string name)
    {
        var result = new SortedDictionary<int, JsonObject>();
        foreach (var pod in context.Owned(WorkloadResources.Pods, ns, WorkloadObjects.Uid(set)))
        {
            if (Ordinal(WorkloadObjects.Name(pod), name) is { } ordinal)
            {
                result[ordinal] = pod;
            }
        }

        return result;
    }

    private static int? Ordinal(string podName, string setName) =>
        podName.StartsWith(setName + "-", StringComparison.Ordinal)
        && int.TryParse(podName.AsSpan(setName.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var ordinal)
            ? ordinal
            : null;

    private void WriteStatus(JsonObject set, SortedDictionary<int, JsonObject> pods, int desired, string updateRevision, int available)
    {
        var previous = set["status"] as JsonObject ?? [];
        var currentRevision = WorkloadObjects.Text(previous["currentRevision"]) ?? updateRevision;
        var ready = pods.Values.Count(WorkloadObjects.IsPodReady);
        var updated = pods.Values.Count(p => WorkloadObjects.Label(p, RevisionLabel) == updateRevision);
        var current = pods.Values.Count(p => WorkloadObjects.Label(p, RevisionLabel) == currentRevision);
        if (updated == desired && ready == desired && pods.Count == desired)
        {
            // The rollout is complete: the update revision becomes the current one.
            currentRevision = updateRevision;
            current = updated;
        }

        var status = new JsonObject
        {
            ["observedGeneration"] = WorkloadObjects.Generation(set),
            ["replicas"] = pods.Count,
        };
        WorkloadObjects.SetOmitEmpty(status, "readyReplicas", ready);
        WorkloadObjects.SetOmitEmpty(status, "currentReplicas", current);
        WorkloadObjects.SetOmitEmpty(status, "updatedReplicas", updated);
        status["currentRevision"] = currentRevision;
        status["updateRevision"] = updateRevision;
        status["collisionCount"] = 0;
        status["availableReplicas"] = available;
        context.WriteStatus(WorkloadResources.StatefulSets, set, status);
    }
}
