namespace KubeSim.Controllers;

/// <summary>The resources the workload controllers read and write.</summary>
internal static class WorkloadResources
{
    public static readonly ResourceId Deployments = new("apps", "v1", "deployments");
    public static readonly ResourceId ReplicaSets = new("apps", "v1", "replicasets");
    public static readonly ResourceId StatefulSets = new("apps", "v1", "statefulsets");
    public static readonly ResourceId DaemonSets = new("apps", "v1", "daemonsets");
    public static readonly ResourceId Pods = new("", "v1", "pods");
    public static readonly ResourceId Secrets = new("", "v1", "secrets");

    public static WorkloadKind? KindOf(string? ownerKind) => ownerKind switch
    {
        "Deployment" => WorkloadKind.Deployment,
        "ReplicaSet" => WorkloadKind.ReplicaSet,
        "StatefulSet" => WorkloadKind.StatefulSet,
        "DaemonSet" => WorkloadKind.DaemonSet,
        _ => null,
    };
}
