namespace ApiKeyOperator.Tests.Install;

/// <summary>
/// The permissions the operator is meant to have, kept here by hand so that a widening of config/rbac is a
/// visible test change. The integration suite's API calls must all fall within these sets.
/// </summary>
public static class OperatorPermissions
{
    public const string OperatorNamespace = "apikey-operator-system";
    public const string ServiceAccount = "apikey-operator";
    public const string ManagerClusterRole = "apikey-operator-manager";
    public const string LeaderElectionRole = "apikey-operator-leader-election";

    private const string Group = "apikeyoperator.io";

    /// <summary>Granted cluster-wide by the ClusterRole apikey-operator-manager.</summary>
    public static IReadOnlySet<RbacGrant> ClusterWide { get; } = new HashSet<RbacGrant>(
    [
        .. Verbs(Group, "apikeys", "get", "list", "watch", "update", "patch"),
        .. Verbs(Group, "apikeyrotations", "get", "list", "watch", "create", "update", "patch", "delete"),
        .. Verbs(Group, "apikeys/status", "get", "update", "patch"),
        .. Verbs(Group, "apikeyrotations/status", "get", "update", "patch"),
        .. Verbs(Group, "apikeys/finalizers", "update"),
        .. Verbs(Group, "apikeyrotations/finalizers", "update"),
        .. Verbs("", "secrets", "get", "list", "watch", "create", "update", "patch", "delete"),
        .. Verbs("apps", "deployments", "get", "list", "watch", "patch"),
        .. Verbs("apps", "statefulsets", "get", "list", "watch", "patch"),
        .. Verbs("apps", "daemonsets", "get", "list", "watch", "patch"),
        .. Verbs("", "events", "create", "patch"),
        .. Verbs("events.k8s.io", "events", "create", "patch"),
        .. Verbs("authentication.k8s.io", "tokenreviews", "create"),
        .. Verbs("authorization.k8s.io", "subjectaccessreviews", "create"),
    ]);

    /// <summary>Granted only in the operator's namespace by the Role apikey-operator-leader-election.</summary>
    public static IReadOnlySet<RbacGrant> InOperatorNamespace { get; } = new HashSet<RbacGrant>(
    [
        .. Verbs("coordination.k8s.io", "leases", "get", "list", "watch", "create", "update", "patch"),
    ]);

    /// <summary>Whether a call the operator made is allowed by the ClusterRole or, in its namespace, the Role.</summary>
    public static bool Allows(ApiRequestAttributes call) =>
        ClusterWide.Contains(call.Grant) || (call.Namespace == OperatorNamespace && InOperatorNamespace.Contains(call.Grant));

    private static IEnumerable<RbacGrant> Verbs(string apiGroup, string resource, params string[] verbs) =>
        verbs.Select(verb => new RbacGrant(apiGroup, resource, verb));
}
