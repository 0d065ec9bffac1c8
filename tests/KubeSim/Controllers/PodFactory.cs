using System.Text.Json.Nodes;

namespace KubeSim.Controllers;

/// <summary>Creates Pod objects from a workload's pod template, stamped with the secret-hash annotation.</summary>
internal static class PodFactory
{
    /// <summary>
    /// Creates a pod named <paramref name="name"/> (or generated from <paramref name="generateName"/>) owned by
    /// <paramref name="ownerReference"/> and bound to <paramref name="nodeName"/>.
    /// </summary>
    public static JsonObject Create(
        ControllerContext context,
        string ns,
        JsonObject? template,
        JsonObject ownerReference,
        string nodeName,
        IReadOnlyDictionary<string, string> extraLabels,
        string? name = null,
        string? generateName = null)
    {
        var spec = template?["spec"] is JsonObject templateSpec ? (JsonObject)templateSpec.DeepClone() : [];
        spec["nodeName"] = nodeName;
        var annotations = template?["metadata"]?["annotations"] is JsonObject templateAnnotations ? (JsonObject)templateAnnotations.DeepClone() : [];
        annotations[PodSecretHashes.AnnotationName] = PodSecretHashes.Compute(context.Store, ns, spec);
        var metadata = new JsonObject
        {
            ["namespace"] = ns,
            ["labels"] = WorkloadObjects.LabelsWith(template, extraLabels),
            ["annotations"] = annotations,
            ["ownerReferences"] = new JsonArray(ownerReference.DeepClone()),
        };
        if (name is not null)
        {
            metadata["name"] = name;
        }
        else
        {
            metadata["generateName"] = generateName;
        }

        var pod = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Pod", ["metadata"] = metadata, ["spec"] = spec };
        return context.Store.Create(WorkloadResources.Pods, ns, pod);
    }
}
