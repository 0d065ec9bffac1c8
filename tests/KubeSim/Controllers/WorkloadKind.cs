namespace KubeSim.Controllers;

/// <summary>The kinds of object the simulated controllers reconcile.</summary>
internal enum WorkloadKind
{
    Deployment,
    ReplicaSet,
    StatefulSet,
    DaemonSet,
    Pod,
}
