using System.Text.Json.Nodes;

namespace KubeSim.Controllers;

/// <summary>Keeps <c>spec.replicas</c> pods per ReplicaSet and reports their counts in its status.</summary>
internal sealed class ReplicaSetController(ControllerContext context)
{
    public void Reconcile(string ns, string name)
    {
        var rs = context.Store.Get(WorkloadResources.ReplicaSets, ns, name);
        if (rs is null || WorkloadObjects.IsDeleting(rs))
        {
            return;
        }

        var uid = WorkloadObjects.Uid(rs);
        var desired = WorkloadObjects.Int(rs["spec"]?["replicas"], 1);
        context.Adopt(WorkloadResources.Pods, ns, rs, "ReplicaSet");
        var pods = context.Owned(WorkloadResources.Pods, ns, uid);
        if (pods.Count < desired)
        {
            var owner = WorkloadObjects.OwnerReference(rs, "apps/v1", "ReplicaSet");
            for (var i = pods.Count; i < desired; i++)
            {
                var node = context.NodeNames[i % context.NodeNames.Count];
                PodFactory.Create(context, ns, rs["spec"]?["template"] as JsonObject, owner, node, new Dictionary<string, string>(), generateName: name + "-");
            }
        }
        else if (pods.Count > desired)
        {
            // Like the real controller: not-ready pods go first, then the newest.
            var victims = pods
                .OrderBy(WorkloadObjects.IsPodReady)
                .ThenByDescending(WorkloadObjects.Created)
                .ThenByDescending(WorkloadObjects.Name, StringComparer.Ordinal)
                .Take(pods.Count - desired);
            foreach (var pod in victims)
            {
                context.DeleteIfPresent(WorkloadResources.Pods, ns, WorkloadObjects.Name(pod));
            }
        }

        var current = context.Owned(WorkloadResources.Pods, ns, uid);
        var ready = current.Count(WorkloadObjects.IsPodReady);
        var status = rs["status"] is JsonObject previous ? (JsonObject)previous.DeepClone() : [];
        status["replicas"] = current.Count;
        WorkloadObjects.SetOmitEmpty(status, "fullyLabeledReplicas", current.Count);
        WorkloadObjects.SetOmitEmpty(status, "readyReplicas", ready);
        WorkloadObjects.SetOmitEmpty(status, "availableReplicas", context.CountAvailable(current, rs, new WorkItem(WorkloadKind.ReplicaSet, ns, name)));
        status["observedGeneration"] = WorkloadObjects.Generation(rs);
        context.WriteStatus(WorkloadResources.ReplicaSets, rs, status);
    }
}
