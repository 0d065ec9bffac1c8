namespace ApiKeyOperator.Tests.Install;

/// <summary>
/// The permissions the operator is meant to have, kept here by hand so that a change of config/rbac is a visible test
/// change. After the integration suite, SuiteRbacTests holds what the operator identities actually asked of the API
/// server against config/rbac both ways.
/// </summary>
public static class OperatorPermissions
{
    public const string OperatorNamespace = "apikey-operator-system";
    public const string ServiceAccount = "apikey-operator";
    public const string ReviewServiceAccount = "apikey-operator-review";
    public const string ManagerClusterRole = "apikey-operator-manager";
    public const string AuthenticatorClusterRole = "apikey-operator-authenticator";
    public const string ReviewClusterRole = "apikey-operator-review";
    public const string LeaderElectionRole = "apikey-operator-leader-election";
    public const string CertificatesRole = "apikey-operator-certificates";

    private const string Group = "apikeyoperator.io";

    /// <summary>Granted by the ClusterRole apikey-operator-manager (cluster-wide, or per namespace in a namespaced install).</summary>
    public static IReadOnlySet<RbacGrant> Manager { get; } = new HashSet<RbacGrant>(
    [
        .. Verbs(Group, "apikeys", "get", "list", "watch", "patch"),
        .. Verbs(Group, "apikeyrotations", "get", "list", "watch", "create", "delete"),
        .. Verbs(Group, "apikeys/status", "update"),
        .. Verbs(Group, "apikeyrotations/status", "update"),
        .. Verbs(Group, "apikeys/finalizers", "update"),
        .. Verbs("", "secrets", "get", "list", "watch", "create", "update", "delete"),
        .. Verbs("apps", "deployments", "list", "watch", "patch"),
        .. Verbs("apps", "statefulsets", "list", "watch", "patch"),
        .. Verbs("apps", "daemonsets", "list", "watch", "patch"),
        .. Verbs("", "events", "create", "patch"),
    ]);

    /// <summary>Granted cluster-wide by apikey-operator-authenticator, to both ServiceAccounts.</summary>
    public static IReadOnlySet<RbacGrant> Authenticator { get; } = new HashSet<RbacGrant>(
    [
        .. Verbs("authentication.k8s.io", "tokenreviews", "create"),
        .. Verbs("authorization.k8s.io", "subjectaccessreviews", "create"),
    ]);

    /// <summary>Granted to the review endpoint's ServiceAccount by apikey-operator-review: no Secrets.</summary>
    public static IReadOnlySet<RbacGrant> Review { get; } = new HashSet<RbacGrant>(
    [
        .. Verbs(Group, "apikeys", "list", "watch"),
        .. Verbs(Group, "apikeys/status", "patch"),
    ]);

    /// <summary>Everything the controllers' ServiceAccount is granted outside its own namespace.</summary>
    public static IReadOnlySet<RbacGrant> ClusterWide { get; } = new HashSet<RbacGrant>([.. Manager, .. Authenticator]);

    /// <summary>Granted only in the operator's namespace by the Role apikey-operator-leader-election.</summary>
    public static IReadOnlySet<RbacGrant> InOperatorNamespace { get; } = new HashSet<RbacGrant>(
    [
        .. Verbs("coordination.k8s.io", "leases", "get", "create", "update"),
    ]);

    /// <summary>Granted only in the operator's namespace by the Role apikey-operator-certificates (the CA ConfigMap).</summary>
    public static IReadOnlySet<RbacGrant> Certificates { get; } = new HashSet<RbacGrant>(
    [
        .. Verbs("", "configmaps", "get", "create", "update"),
    ]);

    /// <summary>Whether a call the operator made is allowed by the ClusterRoles or, in its namespace, the Roles.</summary>
    public static bool Allows(ApiRequestAttributes call) =>
        ClusterWide.Contains(call.Grant)
        || (call.Namespace == OperatorNamespace && (InOperatorNamespace.Contains(call.Grant) || Certificates.Contains(call.Grant)));

    private static IEnumerable<RbacGrant> Verbs(string apiGroup, string resource, params string[] verbs) =>
        verbs.Select(verb => new RbacGrant(apiGroup, resource, verb));
}
