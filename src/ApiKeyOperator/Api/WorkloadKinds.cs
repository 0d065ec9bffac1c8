namespace ApiKeyOperator.Api;

/// <summary>Workload kinds a rotation can roll (<c>RolloutTarget.kind</c>).</summary>
public static class WorkloadKinds
{
    public const string Deployment = "Deployment";
    public const string StatefulSet = "StatefulSet";
    public const string DaemonSet = "DaemonSet";
}
