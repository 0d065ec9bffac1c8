using System.Text.Json.Nodes;

namespace KubeSim;

/// <summary>
/// Evaluates Kubernetes RBAC over the Roles, ClusterRoles (including aggregation) and bindings stored in KubeSim,
/// as kube-apiserver's RBAC authorizer does: a request is allowed when some binding for the user (or one of its
/// groups, or its ServiceAccount) grants a rule matching group, resource/subresource, verb and name — or a
/// non-resource URL. Used for access reviews, optional enforcement, and RBAC completeness tests over the
/// request log.
/// </summary>
public sealed class RbacAuthorizer
{
    private static readonly ResourceId ClusterRoles = new("rbac.authorization.k8s.io", "v1", "clusterroles");
    private static readonly ResourceId Roles = new("rbac.authorization.k8s.io", "v1", "roles");
    private static readonly ResourceId ClusterRoleBindings = new("rbac.authorization.k8s.io", "v1", "clusterrolebindings");
    private static readonly ResourceId RoleBindings = new("rbac.authorization.k8s.io", "v1", "rolebindings");

    private readonly ObjectStore store;

    internal RbacAuthorizer(ObjectStore store)
    {
        this.store = store;
    }

    /// <summary>Users that bypass RBAC: no user at all, "kubesim" (KubeSim's kubeconfig token) and members of system:masters.</summary>
    public static bool IsAdmin(string? user, IEnumerable<string>? groups = null) =>
        user is null or "kubesim" || (groups?.Contains("system:masters") ?? false);

    /// <summary>The groups Kubernetes puts a user in: ServiceAccounts get system:serviceaccounts[:namespace].</summary>
    public static IReadOnlyList<string> GroupsOf(string user)
    {
        var parts = user.Split(':');
        return parts is ["system", "serviceaccount", var ns, _]
            ? ["system:serviceaccounts", $"system:serviceaccounts:{ns}", "system:authenticated"]
            : ["system:authenticated"];
    }

    /// <summary>The user name of a ServiceAccount, as its token authenticates.</summary>
    public static string ServiceAccountUser(string ns, string name) => $"system:serviceaccount:{ns}:{name}";

    /// <summary>Whether the user (with its usual groups plus any given) may make the request.</summary>
    public bool Allows(string? user, RequestRecord request, IEnumerable<string>? extraGroups = null)
    {
        var groups = user is null ? [] : GroupsOf(user).Concat(extraGroups ?? []).ToList();
        if (IsAdmin(user, groups))
        {
            return true;
        }

        return Rules(user!, groups, request.Namespace).Any(rule => Matches(rule, request));
    }

    /// <summary>The requests of the list the user was not allowed to make.</summary>
    public IReadOnlyList<RequestRecord> Denied(string user, IEnumerable<RequestRecord> requests) =>
        [.. requests.Where(r => !Allows(user, r))];

    private IEnumerable<JsonObject> Rules(string user, IReadOnlyList<string> groups, string? ns)
    {
        var bindings = store.List(ClusterRoleBindings, null).AsEnumerable();
        if (!string.IsNullOrEmpty(ns))
        {
            bindings = bindings.Concat(store.List(RoleBindings, ns));
        }

        foreach (var binding in bindings.Where(b => Binds(b, user, groups)))
        {
            var roleRef = binding["roleRef"];
            var kind = Text(roleRef?["kind"]);
            var name = Text(roleRef?["name"]);
            var role = kind == "ClusterRole" ? store.Get(ClusterRoles, null, name) : store.Get(Roles, ObjectMeta.Namespace(binding), name);
            if (role is null)
            {
                continue;
            }

            foreach (var rule in RulesOf(role))
            {
                yield return rule;
            }
        }
    }

    // Aggregated ClusterRoles get the rules of every ClusterRole their selectors match (the aggregation controller's job).
    private IEnumerable<JsonObject> RulesOf(JsonObject role)
    {
        var own = (role["rules"] as JsonArray ?? []).OfType<JsonObject>();
        if (role["aggregationRule"]?["clusterRoleSelectors"] is not JsonArray selectors)
        {
            return own;
        }

        var aggregated = store.List(ClusterRoles, null)
            .Where(other => ObjectMeta.Name(other) != ObjectMeta.Name(role))
            .Where(other => selectors.OfType<JsonObject>().Any(s => LabelsMatch(ObjectMeta.Labels(other), s["matchLabels"] as JsonObject)))
            .SelectMany(other => (other["rules"] as JsonArray ?? []).OfType<JsonObject>());
        return own.Concat(aggregated);
    }

    private static bool Binds(JsonObject binding, string user, IReadOnlyList<string> groups) =>
        (binding["subjects"] as JsonArray ?? []).OfType<JsonObject>().Any(subject => Text(subject["kind"]) switch
        {
            "User" => Text(subject["name"]) == user,
            "Group" => groups.Contains(Text(subject["name"])),
            "ServiceAccount" => ServiceAccountUser(Text(subject["namespace"]) is { Length: > 0 } ns ? ns : ObjectMeta.Namespace(binding) ?? "", Text(subject["name"])) == user,
            _ => false,
        });

    private static bool Matches(JsonObject rule, RequestRecord request)
    {
        var verbs = Strings(rule["verbs"]);
        if (!verbs.Contains("*") && !verbs.Contains(request.Verb))
        {
            return false;
        }

        if (request.Resource is null)
        {
            return Strings(rule["nonResourceURLs"]).Any(url => url == "*" || url == request.Path || (url.EndsWith('*') && request.Path.StartsWith(url[..^1], StringComparison.Ordinal)));
        }

        var groups = Strings(rule["apiGroups"]);
        var resources = Strings(rule["resources"]);
        var names = Strings(rule["resourceNames"]);
        var target = request.Subresource is null ? request.Resource : $"{request.Resource}/{request.Subresource}";
        return (groups.Contains("*") || groups.Contains(request.Group))
            && (resources.Contains("*") || resources.Contains(target)
                || (request.Subresource is not null && (resources.Contains($"{request.Resource}/*") || resources.Contains($"*/{request.Subresource}"))))
            && (names.Count == 0 || (request.Name is not null && names.Contains(request.Name)));
    }

    private static bool LabelsMatch(IReadOnlyDictionary<string, string> labels, JsonObject? required) =>
        required is not null && required.All(kv => labels.TryGetValue(kv.Key, out var v) && v == Text(kv.Value));

    private static List<string> Strings(JsonNode? node) => node is JsonArray a ? [.. a.Select(Text)] : [];

    private static string Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
}
