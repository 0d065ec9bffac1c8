namespace KubeSim;

/// <summary>
/// The built-in resources KubeSim serves from the start. Services, Jobs, CronJobs, Ingresses, PodDisruptionBudgets,
/// PriorityClasses, ResourceQuotas and RBAC objects are stored and served (so install manifests and kubectl's
/// generators work) but no controller acts on them.
/// </summary>
internal static class BuiltInResources
{
    public static IReadOnlyList<ResourceDefinition> Create()
    {
        string[] none = [];
        string[] all = ["all"];
        return
        [
            new("", "v1", "namespaces", "namespace", "Namespace", false, true, ["ns"], none),
            new("", "v1", "secrets", "secret", "Secret", true, false, none, none),
            new("", "v1", "configmaps", "configmap", "ConfigMap", true, false, ["cm"], none),
            new("", "v1", "serviceaccounts", "serviceaccount", "ServiceAccount", true, false, ["sa"], none),
            new("", "v1", "services", "service", "Service", true, true, ["svc"], all),
            new("", "v1", "pods", "pod", "Pod", true, true, ["po"], all),
            new("", "v1", "resourcequotas", "resourcequota", "ResourceQuota", true, true, ["quota"], none),
            new("", "v1", "events", "event", "Event", true, false, ["ev"], none) { AllowCreateOnUpdate = true },
            new("events.k8s.io", "v1", "events", "event", "Event", true, false, ["ev"], none) { AllowCreateOnUpdate = true },
            new("apps", "v1", "deployments", "deployment", "Deployment", true, true, ["deploy"], all) { HasScale = true },
            new("apps", "v1", "statefulsets", "statefulset", "StatefulSet", true, true, ["sts"], all) { HasScale = true },
            new("apps", "v1", "daemonsets", "daemonset", "DaemonSet", true, true, ["ds"], all),
            new("apps", "v1", "replicasets", "replicaset", "ReplicaSet", true, true, ["rs"], all) { HasScale = true },
            new("batch", "v1", "jobs", "job", "Job", true, true, none, all),
            new("batch", "v1", "cronjobs", "cronjob", "CronJob", true, true, ["cj"], all),
            new("networking.k8s.io", "v1", "ingresses", "ingress", "Ingress", true, true, ["ing"], none),
            new("scheduling.k8s.io", "v1", "priorityclasses", "priorityclass", "PriorityClass", false, false, ["pc"], none),
            new("rbac.authorization.k8s.io", "v1", "roles", "role", "Role", true, false, none, none),
            new("rbac.authorization.k8s.io", "v1", "rolebindings", "rolebinding", "RoleBinding", true, false, none, none),
            new("rbac.authorization.k8s.io", "v1", "clusterroles", "clusterrole", "ClusterRole", false, false, none, none),
            new("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "clusterrolebinding", "ClusterRoleBinding", false, false, none, none),
            new("policy", "v1", "poddisruptionbudgets", "poddisruptionbudget", "PodDisruptionBudget", true, true, ["pdb"], none),
            new("coordination.k8s.io", "v1", "leases", "lease", "Lease", true, false, none, none) { AllowCreateOnUpdate = true },
            new("authorization.k8s.io", "v1", "selfsubjectaccessreviews", "", "SelfSubjectAccessReview", false, false, none, none) { IsAccessReview = true },
            new("apiextensions.k8s.io", "v1", "customresourcedefinitions", "customresourcedefinition", "CustomResourceDefinition", false, true, ["crd", "crds"], ["api-extensions"]),
        ];
    }
}
