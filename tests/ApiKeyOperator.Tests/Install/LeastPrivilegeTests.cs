using Xunit;
using YamlDotNet.RepresentationModel;

namespace ApiKeyOperator.Tests.Install;

/// <summary>The roles in config/rbac grant exactly the listed permissions and nothing broader.</summary>
public sealed class LeastPrivilegeTests
{
    private static readonly IReadOnlyList<YamlMappingNode> Rbac = RbacRules.LoadConfigRbac();

    private static readonly string[] SecretVerbs = ["get", "list", "watch", "create", "update", "patch", "delete"];

    [Fact]
    public void ManagerClusterRoleGrantsExactlyTheExpectedSet()
    {
        var role = YamlNodes.Find(Rbac, "ClusterRole", OperatorPermissions.ManagerClusterRole);

        Assert.Equal(RbacRules.Sorted(OperatorPermissions.ClusterWide), RbacRules.Sorted(RbacRules.Grants(role)));
    }

    [Fact]
    public void LeaderElectionRoleGrantsExactlyTheExpectedSetInTheOperatorNamespace()
    {
        var role = YamlNodes.Find(Rbac, "Role", OperatorPermissions.LeaderElectionRole);

        Assert.Equal(OperatorPermissions.OperatorNamespace, role.Namespace());
        Assert.Equal(RbacRules.Sorted(OperatorPermissions.InOperatorNamespace), RbacRules.Sorted(RbacRules.Grants(role)));
    }

    [Fact]
    public void OperatorRolesUseNoWildcardsAndNoNonResourceUrls()
    {
        var roles = new[]
        {
            YamlNodes.Find(Rbac, "ClusterRole", OperatorPermissions.ManagerClusterRole),
            YamlNodes.Find(Rbac, "Role", OperatorPermissions.LeaderElectionRole),
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

        var secretVerbs = RbacRules.Grants(role).Where(g => g.ApiGroup.Length == 0 && g.Resource == "secrets").Select(g => g.Verb);

        Assert.Subset(SecretVerbs.ToHashSet(), secretVerbs.ToHashSet());
        Assert.DoesNotContain("deletecollection", secretVerbs);
        Assert.DoesNotContain("escalate", RbacRules.Grants(role).Select(g => g.Verb));
        Assert.DoesNotContain("impersonate", RbacRules.Grants(role).Select(g => g.Verb));
    }

    [Fact]
    public void BindingsGiveTheRolesToTheOperatorServiceAccountOnly()
    {
        var clusterBinding = YamlNodes.Find(Rbac, "ClusterRoleBinding", OperatorPermissions.ManagerClusterRole);
        var binding = YamlNodes.Find(Rbac, "RoleBinding", OperatorPermissions.LeaderElectionRole);

        Assert.Equal(OperatorPermissions.ManagerClusterRole, clusterBinding.Map("roleRef")!.Str("name"));
        Assert.Equal("ClusterRole", clusterBinding.Map("roleRef")!.Str("kind"));
        Assert.Equal(OperatorPermissions.LeaderElectionRole, binding.Map("roleRef")!.Str("name"));
        Assert.Equal("Role", binding.Map("roleRef")!.Str("kind"));
        foreach (var subjects in new[] { clusterBinding.Maps("subjects"), binding.Maps("subjects") })
        {
            var subject = Assert.Single(subjects);
            Assert.Equal("ServiceAccount", subject.Str("kind"));
            Assert.Equal(OperatorPermissions.ServiceAccount, subject.Str("name"));
            Assert.Equal(OperatorPermissions.OperatorNamespace, subject.Str("namespace"));
        }

        var serviceAccount = YamlNodes.Find(Rbac, "ServiceAccount", OperatorPermissions.ServiceAccount);
        Assert.Equal(OperatorPermissions.OperatorNamespace, serviceAccount.Namespace());
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
