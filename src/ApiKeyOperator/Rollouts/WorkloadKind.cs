namespace ApiKeyOperator.Rollouts;

/// <summary>The workload kinds a rotation can roll; the names are the Kubernetes kinds.</summary>
public static class WorkloadKind
{
    public const string Deployment = "Deployment";
    public const string StatefulSet = "StatefulSet";
    public const string DaemonSet = "DaemonSet";

    public static IReadOnlyList<string> All { get; } = [Deployment, StatefulSet, DaemonSet];

    public static bool IsSupported(string kind) => All.Contains(kind, StringComparer.Ordinal);
}
