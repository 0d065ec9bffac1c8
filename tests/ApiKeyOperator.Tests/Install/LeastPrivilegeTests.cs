using Xunit;
using YamlDotNet.RepresentationModel;

namespace ApiKeyOperator.Tests.Install;

/// <summary>The roles in config/rbac grant exactly the listed permissions and nothing broader.</summary>
public sealed class LeastPrivilegeTests
{
    private static readonly IReadOnlyList<YamlMappingNode> Rbac = RbacRules.LoadConfigRbac();

    [Fact]
    public void ManagerClusterRoleGrantsExactlyTheExpectedSet()
    {
        var role = YamlNodes.Find(Rbac, "ClusterRole", OperatorPermissions.ManagerClusterRole);

        Assert.Equal(RbacRules.Sorted(OperatorPermissions.Manager), RbacRules.Sorted(RbacRules.Grants(role)));
        // Nothing cluster-scoped: it must mean the same bound cluster-wide or per namespace (namespaced install).
        Assert.DoesNotContain(RbacRules.Grants(role), g => g.ApiGroup is "authentication.k8s.io" or "authorization.k8s.io" or "rbac.authorization.k8s.io");
    }

    [Fact]
    public void AuthenticatorAndReviewRolesGrantExactlyTheExpectedSetAndTheReviewEndpointNoSecrets()
    {
        var authenticator = YamlNodes.Find(Rbac, "ClusterRole", OperatorPermissions.AuthenticatorClusterRole);
        var review = YamlNodes.Find(Rbac, "ClusterRole", OperatorPermissions.ReviewClusterRole);

        Assert.Equal(RbacRules.Sorted(OperatorPermissions.Authenticator), RbacRules.Sorted(RbacRules.Grants(authenticator)));
        Assert.Equal(RbacRules.Sorted(OperatorPermissions.Review), RbacRules.Sorted(RbacRules.Grants(review)));
        var reviewBindings = Rbac.Where(m => m.Kind() is "ClusterRoleBinding" or "RoleBinding"
            && m.Maps("subjects").Any(s => s.Str("name") == OperatorPermissions.ReviewServiceAccount)).ToList();
        Assert.Equal([OperatorPermissions.AuthenticatorClusterRole, OperatorPermissions.ReviewClusterRole], reviewBindings.Select(b => b.Map("roleRef")!.Str("name")).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void OperatorNamespaceRolesGrantExactlyTheExpectedSetThere()
    {
        var leader = YamlNodes.Find(Rbac, "Role", OperatorPermissions.LeaderElectionRole);
        var certificates = YamlNodes.Find(Rbac, "Role", OperatorPermissions.CertificatesRole);

        Assert.Equal(OperatorPermissions.OperatorNamespace, leader.Namespace());
        Assert.Equal(OperatorPermissions.OperatorNamespace, certificates.Namespace());
        Assert.Equal(RbacRules.Sorted(OperatorPermissions.InOperatorNamespace), RbacRules.Sorted(RbacRules.Grants(leader)));
        Assert.Equal(RbacRules.Sorted(OperatorPermissions.Certificates), RbacRules.Sorted(RbacRules.Grants(certificates)));
        // Reading and updating are limited to the bundle ConfigMap; only create cannot be limited by name.
        Assert.All(certificates.Maps("rules").Where(r => !r.Strings("verbs").SequenceEqual(["create"])),
            rule => Assert.Equal(["apikey-operator-ca.crt"], rule.Strings("resourceNames")));
    }

    [Fact]
    public void Every_authenticated_user_may_read_the_CA_bundle_and_nothing_else()
    {
        var reader = YamlNodes.Find(Rbac, "Role", "apikey-operator-ca-reader");
        var binding = YamlNodes.Find(Rbac, "RoleBinding", "apikey-operator-ca-reader");

        var rule = Assert.Single(reader.Maps("rules"));
        Assert.Equal(["configmaps"], rule.Strings("resources"));
        Assert.Equal(["get"], rule.Strings("verbs"));
        Assert.Equal(["apikey-operator-ca.crt"], rule.Strings("resourceNames"));
        var subject = Assert.Single(binding.Maps("subjects"));
        Assert.Equal(("Group", "system:authenticated"), (subject.Str("kind"), subject.Str("name")));
    }

    [Fact]
    public void Metrics_and_audit_readers_grant_get_on_metrics_and_on_audits_and_admins_read_their_audit_trail()
    {
        var metrics = Assert.Single(YamlNodes.Find(Rbac, "ClusterRole", "apikey-operator-metrics-reader").Maps("rules"));
        var audit = YamlNodes.Find(Rbac, "ClusterRole", "apikey-operator-audit-reader");
        var admin = YamlNodes.Find(Rbac, "ClusterRole", "apikeyoperator-admin");

        Assert.Equal(["/metrics"], metrics.Strings("nonResourceURLs"));
        Assert.Equal(["get"], metrics.Strings("verbs"));
        Assert.Equal(["apikeyoperator.io audits get"], RbacRules.Sorted(RbacRules.Grants(audit)));
        Assert.Contains(new RbacGrant("apikeyoperator.io", "audits", "get"), RbacRules.Grants(admin));
        Assert.DoesNotContain(new RbacGrant("apikeyoperator.io", "audits", "get"), RbacRules.Grants(YamlNodes.Find(Rbac, "ClusterRole", "apikeyoperator-editor")));
    }

    [Fact]
    public void OperatorRolesUseNoWildcardsAndNoNonResourceUrls()
    {
        var roles = new[]
        {
            YamlNodes.Find(Rbac, "ClusterRole", OperatorPermissions.ManagerClusterRole),
            YamlNodes.Find(Rbac, "ClusterRole", OperatorPermissions.AuthenticatorClusterRole),
            YamlNodes.Find(Rbac, "ClusterRole", OperatorPermissions.ReviewClusterRole),
            YamlNodes.Find(Rbac, "Role", OperatorPermissions.LeaderElectionRole),
            YamlNodes.Find(Rbac, "Role", OperatorPermissions.CertificatesRole),
        };

        foreach (var rule in roles.SelectMany(role => role.Maps("rules")))
        {
            Assert.DoesNotContain("*", rule.Strings("apiGroups"));
            Assert.DoesNotContain("*", rule.Strings("resources"));
            Assert.DoesNotContain("*", rule.Strings("verbs"));
            Assert.Empty(rule.Seq("nonResourceURLs"));
            Assert.DoesNotContain(rule.Strings("resources"), resource => resource.EndsWith("/*", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void ManagerSecretAccessIsLimitedToTheCredentialLifecycle()
    {
        var role = YamlNodes.Find(Rbac, "ClusterRole", OperatorPermissions.ManagerClusterRole);

        var secretVerbs = RbacRules.Grants(role).Where(g => g.ApiGroup.Length == 0 && g.Resource == "secrets").Select(g => g.Verb).ToHashSet();

        Assert.Equal(["create", "delete", "get", "list", "update", "watch"], secretVerbs.Order(StringComparer.Ordinal));
        Assert.DoesNotContain("escalate", RbacRules.Grants(role).Select(g => g.Verb));
        Assert.DoesNotContain("impersonate", RbacRules.Grants(role).Select(g => g.Verb));
    }

    [Fact]
    public void BindingsGiveTheRolesToTheOperatorServiceAccountsOnly()
    {
        var bindings = new (string Kind, string Name, string Role, string[] ServiceAccounts)[]
        {
            ("ClusterRoleBinding", OperatorPermissions.ManagerClusterRole, OperatorPermissions.ManagerClusterRole, [OperatorPermissions.ServiceAccount]),
            ("ClusterRoleBinding", OperatorPermissions.AuthenticatorClusterRole, OperatorPermissions.AuthenticatorClusterRole, [OperatorPermissions.ServiceAccount, OperatorPermissions.ReviewServiceAccount]),
            ("ClusterRoleBinding", OperatorPermissions.ReviewClusterRole, OperatorPermissions.ReviewClusterRole, [OperatorPermissions.ReviewServiceAccount]),
            ("RoleBinding", OperatorPermissions.LeaderElectionRole, OperatorPermissions.LeaderElectionRole, [OperatorPermissions.ServiceAccount]),
            ("RoleBinding", OperatorPermissions.CertificatesRole, OperatorPermissions.CertificatesRole, [OperatorPermissions.ServiceAccount]),
        };

        foreach (var (kind, name, role, serviceAccounts) in bindings)
        {
            var binding = YamlNodes.Find(Rbac, kind, name);
            Assert.Equal(role, binding.Map("roleRef")!.Str("name"));
            Assert.Equal(serviceAccounts, binding.Maps("subjects").Select(s => s.Str("name")));
            Assert.All(binding.Maps("subjects"), subject =>
            {
                Assert.Equal("ServiceAccount", subject.Str("kind"));
                Assert.Equal(OperatorPermissions.OperatorNamespace, subject.Str("namespace"));
            });
        }

        Assert.Equal(OperatorPermissions.OperatorNamespace, YamlNodes.Find(Rbac, "ServiceAccount", OperatorPermissions.ServiceAccount).Namespace());
        Assert.Equal(OperatorPermissions.OperatorNamespace, YamlNodes.Find(Rbac, "ServiceAccount", OperatorPermissions.ReviewServiceAccount).Namespace());
    }

    [Fact]
    public void ViewersOnlyReadApiKeysAndRotations()
    {
        var viewer = YamlNodes.Find(Rbac, "ClusterRole", "apikeyoperator-viewer");

        Assert.Equal("true", viewer.Label("rbac.authorization.k8s.io/aggregate-to-view"));
        Assert.Equal(
            RbacRules.Sorted(UserGrants(["apikeys", "apikeyrotations"], "get", "list", "watch")),
            RbacRules.Sorted(RbacRules.Grants(viewer)));
    }

    [Fact]
    public void EditorsManageApiKeysAndStartRotationsButCannotDeleteThem()
    {
        var editor = YamlNodes.Find(Rbac, "ClusterRole", "apikeyoperator-editor");

        Assert.Equal("true", editor.Label("rbac.authorization.k8s.io/aggregate-to-edit"));
        Assert.Equal(
            RbacRules.Sorted(
            [
                .. UserGrants(["apikeys"], "get", "list", "watch", "create", "update", "patch", "delete"),
                .. UserGrants(["apikeyrotations"], "get", "list", "watch", "create"),
            ]),
            RbacRules.Sorted(RbacRules.Grants(editor)));
    }

    [Fact]
    public void OnlyAdminsDeleteRotationHistory()
    {
        var admin = YamlNodes.Find(Rbac, "ClusterRole", "apikeyoperator-admin");

        Assert.Equal("true", admin.Label("rbac.authorization.k8s.io/aggregate-to-admin"));
        Assert.Equal(
            RbacRules.Sorted(
            [
                .. UserGrants(["apikeys"], "get", "list", "watch", "create", "update", "patch", "delete"),
                .. UserGrants(["apikeyrotations"], "get", "list", "watch", "create", "delete"),
                .. UserGrants(["audits"], "get"),
                .. UserGrants(["scopes"], "grant"),
            ]),
            RbacRules.Sorted(RbacRules.Grants(admin)));
        var deletersOfRotations = Rbac
            .Where(m => m.Kind() == "ClusterRole" && m.Name().StartsWith("apikeyoperator-", StringComparison.Ordinal))
            .Where(role => RbacRules.Grants(role).Contains(new RbacGrant("apikeyoperator.io", "apikeyrotations", "delete")))
            .Select(role => role.Name());
        Assert.Equal(["apikeyoperator-admin"], deletersOfRotations);
    }

    private static IEnumerable<RbacGrant> UserGrants(string[] resources, params string[] verbs) =>
        from resource in resources
        from verb in verbs
        select new RbacGrant("apikeyoperator.io", resource, verb);
}
