using System.Globalization;
using System.Text.Json.Nodes;

namespace KubeSim.Controllers;

/// <summary>
/// The DaemonSet controller: one pod per simulated node, replaced on a template change within
/// maxUnavailable (default 1), with the DaemonSet status numbers.
/// </summary>
internal sealed class DaemonSetController(ControllerContext context)
{
    public void Reconcile(string ns, string name)
    {
        var set = context.Store.Get(WorkloadResources.DaemonSets, ns, name);
        if (set is null || WorkloadObjects.IsDeleting(set))
        {
            return;
        }

        if (context.Lagging(set, new WorkItem(WorkloadKind.DaemonSet, ns, name)))
        {
            return;
        }

        var hash = TemplateHash.Compute(set["spec"]?["template"]);
        var uid = WorkloadObjects.Uid(set);
        context.Adopt(WorkloadResources.Pods, ns, set, "DaemonSet");
        var byNode = PodsByNode(ns, uid);
        RemoveDuplicates(ns, byNode, hash);
        RollOut(set, ns, byNode, hash);
        var owner = WorkloadObjects.OwnerReference(set, "apps/v1", "DaemonSet");
        var labels = new Dictionary<string, string>
        {
            [StatefulSetController.RevisionLabel] = hash,
            ["pod-template-generation"] = WorkloadObjects.Generation(set).ToString(CultureInfo.InvariantCulture),
        };
        foreach (var node in context.NodeNames.Where(n => !byNode.ContainsKey(n)))
        {
            PodFactory.Create(context, ns, set["spec"]?["template"] as JsonObject, owner, node, labels, generateName: name + "-");
        }

        var byNodeNow = PodsByNode(ns, uid);
        var available = context.CountAvailable(byNodeNow.Values.Select(p => p[0]), set, new WorkItem(WorkloadKind.DaemonSet, ns, name));
        WriteStatus(set, byNodeNow, hash, available);
    }

    private Dictionary<string, List<JsonObject>> PodsByNode(string ns, string uid) =>
        context.Owned(WorkloadResources.Pods, ns, uid)
            .Where(p => context.NodeNames.Contains(WorkloadObjects.Text(p["spec"]?["nodeName"]) ?? string.Empty))
            .GroupBy(p => WorkloadObjects.Text(p["spec"]?["nodeName"])!)
            .ToDictionary(g => g.Key, g => g.ToList());

    private void RemoveDuplicates(string ns, Dictionary<string, List<JsonObject>> byNode, string hash)
    {
        foreach (var pods in byNode.Values.Where(p => p.Count > 1))
        {
            var keep = pods.OrderByDescending(p => WorkloadObjects.Label(p, StatefulSetController.RevisionLabel) == hash)
                .ThenByDescending(WorkloadObjects.IsPodReady).First();
            foreach (var extra in pods.Where(p => !ReferenceEquals(p, keep)))
            {
                context.DeleteIfPresent(WorkloadResources.Pods, ns, WorkloadObjects.Name(extra));
            }

            pods.RemoveAll(p => !ReferenceEquals(p, keep));
        }
    }

    // Old pods that are not Ready go at once; Ready ones only while fewer than maxUnavailable nodes lack a Ready pod.
    private void RollOut(JsonObject set, string ns, Dictionary<string, List<JsonObject>> byNode, string hash)
    {
        var strategy = set["spec"]?["updateStrategy"];
        if (WorkloadObjects.Text(strategy?["type"]) == "OnDelete")
        {
            return;
        }

        var desired = context.NodeNames.Count;
        var maxUnavailable = Math.Max(WorkloadObjects.Scaled(strategy?["rollingUpdate"]?["maxUnavailable"], desired, roundUp: true, fallback: 1), 1);
        var old = byNode.Where(kv => WorkloadObjects.Label(kv.Value[0], StatefulSetController.RevisionLabel) != hash).ToList();
        foreach (var (node, pods) in old.Where(kv => !WorkloadObjects.IsPodReady(kv.Value[0])))
        {
            context.DeleteIfPresent(WorkloadResources.Pods, ns, WorkloadObjects.Name(pods[0]));
            byNode.Remove(node);
        }

        var unavailable = context.NodeNames.Count(n => !byNode.TryGetValue(n, out var pods) || !WorkloadObjects.IsPodReady(pods[0]));
        foreach (var (node, pods) in old.Where(kv => byNode.ContainsKey(kv.Key)).OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (unavailable >= maxUnavailable)
            {
                break;
            }

            context.DeleteIfPresent(WorkloadResources.Pods, ns, WorkloadObjects.Name(pods[0]));
            byNode.Remove(node);
            unavailable++;
        }
    }

    private void WriteStatus(JsonObject set, Dictionary<string, List<JsonObject>> byNode, string hash, int available)
    {
        var desired = context.NodeNames.Count;
        var scheduled = byNode.Count;
        var ready = byNode.Values.Count(p => WorkloadObjects.IsPodReady(p[0]));
        var updated = byNode.Values.Count(p => WorkloadObjects.Label(p[0], StatefulSetController.RevisionLabel) == hash);
        var status = new JsonObject
        {
            ["currentNumberScheduled"] = scheduled,
            ["numberMisscheduled"] = 0,
            ["desiredNumberScheduled"] = desired,
            ["numberReady"] = ready,
            ["observedGeneration"] = WorkloadObjects.Generation(set),
        };
        WorkloadObjects.SetOmitEmpty(status, "updatedNumberScheduled", updated);
        WorkloadObjects.SetOmitEmpty(status, "numberAvailable", available);
        WorkloadObjects.SetOmitEmpty(status, "numberUnavailable", desired - available);
        context.WriteStatus(WorkloadResources.DaemonSets, set, status);
    }
}
