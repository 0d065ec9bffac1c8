namespace KubeSim.Protobuf;

/// <summary>
/// The protobuf message of each kind KubeSim decodes: every kind kubectl's imperative commands send
/// (create deployment|job|cronjob|role|rolebinding|clusterrole|clusterrolebinding|service|secret|configmap|namespace|
/// serviceaccount|ingress|poddisruptionbudget|priorityclass|quota, run, auth can-i) and the other workloads.
/// Field numbers are those of the Kubernetes generated.proto files.
/// </summary>
internal static class KubernetesProtoMessages
{
    private static readonly Dictionary<(string ApiVersion, string Kind), ProtoMessage> Messages = new()
    {
        [("v1", "Namespace")] = CoreMessages.Namespace,
        [("v1", "Secret")] = CoreMessages.Secret,
        [("v1", "ConfigMap")] = CoreMessages.ConfigMap,
        [("v1", "ServiceAccount")] = CoreMessages.ServiceAccount,
        [("v1", "Service")] = CoreMessages.Service,
        [("v1", "Pod")] = CoreMessages.Pod,
        [("v1", "ResourceQuota")] = CoreMessages.ResourceQuota,
        [("apps/v1", "Deployment")] = WorkloadMessages.Deployment,
        [("apps/v1", "ReplicaSet")] = WorkloadMessages.ReplicaSet,
        [("apps/v1", "StatefulSet")] = WorkloadMessages.StatefulSet,
        [("apps/v1", "DaemonSet")] = WorkloadMessages.DaemonSet,
        [("batch/v1", "Job")] = WorkloadMessages.Job,
        [("batch/v1", "CronJob")] = WorkloadMessages.CronJob,
        [("rbac.authorization.k8s.io/v1", "Role")] = ClusterMessages.Role,
        [("rbac.authorization.k8s.io/v1", "ClusterRole")] = ClusterMessages.ClusterRole,
        [("rbac.authorization.k8s.io/v1", "RoleBinding")] = ClusterMessages.RoleBinding,
        [("rbac.authorization.k8s.io/v1", "ClusterRoleBinding")] = ClusterMessages.RoleBinding,
        [("networking.k8s.io/v1", "Ingress")] = ClusterMessages.Ingress,
        [("policy/v1", "PodDisruptionBudget")] = ClusterMessages.PodDisruptionBudget,
        [("scheduling.k8s.io/v1", "PriorityClass")] = ClusterMessages.PriorityClass,
        [("authorization.k8s.io/v1", "SelfSubjectAccessReview")] = ClusterMessages.SelfSubjectAccessReview,
        [("authorization.k8s.io/v1", "SubjectAccessReview")] = ClusterMessages.SubjectAccessReview,
    };

    /// <summary>The message of a kind, or null when KubeSim cannot decode it.</summary>
    public static ProtoMessage? For(string apiVersion, string kind) => Messages.GetValueOrDefault((apiVersion, kind));

    /// <summary>The kinds KubeSim decodes, for error messages.</summary>
    public static IEnumerable<string> Kinds => Messages.Keys.Select(k => k.Kind).Distinct().Order(StringComparer.Ordinal);
}
