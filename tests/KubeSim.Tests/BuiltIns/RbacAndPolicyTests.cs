using k8s;
using k8s.Models;
using Xunit;

namespace KubeSim.Tests.BuiltIns;

/// <summary>rbac.authorization.k8s.io/v1 and policy/v1 objects are stored and served as kubectl expects (no authorization is enforced).</summary>
public sealed class RbacAndPolicyTests : SimTestBase
{
    [Fact]
    public async Task Rbac_discovery_has_namespaced_roles_and_cluster_scoped_cluster_roles()
    {
        var rbac = await Client.RbacAuthorizationV1.GetAPIResourcesAsync(Ct);

        Assert.Equal("rbac.authorization.k8s.io/v1", rbac.GroupVersion);
        var scopes = rbac.Resources.ToDictionary(r => r.Name, r => r.Namespaced);
        Assert.Equal(
            new Dictionary<string, bool> { ["roles"] = true, ["rolebindings"] = true, ["clusterroles"] = false, ["clusterrolebindings"] = false },
            scopes);
        Assert.Equal("ClusterRoleBinding", rbac.Resources.Single(r => r.Name == "clusterrolebindings").Kind);
    }

    [Fact]
    public async Task Roles_and_bindings_round_trip_their_rules_and_subjects()
    {
        var ns = await NewNamespaceAsync();
        var rule = new V1PolicyRule { ApiGroups = ["coordination.k8s.io"], Resources = ["leases"], Verbs = ["get", "update"] };
        var subject = new Rbacv1Subject { Kind = "ServiceAccount", Name = "operator", NamespaceProperty = ns };

        await Client.RbacAuthorizationV1.CreateClusterRoleAsync(new V1ClusterRole { Metadata = new V1ObjectMeta { Name = "reader" }, Rules = [rule] }, cancellationToken: Ct);
        await Client.RbacAuthorizationV1.CreateClusterRoleBindingAsync(new V1ClusterRoleBinding
        {
            Metadata = new V1ObjectMeta { Name = "reader" },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = "reader" },
            Subjects = [subject],
        }, cancellationToken: Ct);
        await Client.RbacAuthorizationV1.CreateNamespacedRoleAsync(new V1Role { Metadata = new V1ObjectMeta { Name = "leases" }, Rules = [rule] }, ns, cancellationToken: Ct);
        await Client.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(new V1RoleBinding
        {
            Metadata = new V1ObjectMeta { Name = "leases" },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = "leases" },
            Subjects = [subject],
        }, ns, cancellationToken: Ct);

        var clusterRole = await Client.RbacAuthorizationV1.ReadClusterRoleAsync("reader", cancellationToken: Ct);
        var clusterBinding = await Client.RbacAuthorizationV1.ReadClusterRoleBindingAsync("reader", cancellationToken: Ct);
        var role = await Client.RbacAuthorizationV1.ReadNamespacedRoleAsync("leases", ns, cancellationToken: Ct);
        var binding = await Client.RbacAuthorizationV1.ReadNamespacedRoleBindingAsync("leases", ns, cancellationToken: Ct);

        Assert.Null(clusterRole.Metadata.NamespaceProperty);
        Assert.Equal(["get", "update"], Assert.Single(clusterRole.Rules).Verbs);
        Assert.Equal(["leases"], Assert.Single(role.Rules).Resources);
        Assert.Equal("ClusterRole", clusterBinding.RoleRef.Kind);
        Assert.Equal("operator", Assert.Single(binding.Subjects).Name);
        Assert.Equal(ns, binding.Metadata.NamespaceProperty);
        Assert.Single((await Client.RbacAuthorizationV1.ListRoleBindingForAllNamespacesAsync(cancellationToken: Ct)).Items);
    }

    [Fact]
    public async Task A_role_in_a_namespace_that_does_not_exist_is_rejected()
    {
        var (code, _) = await FailureOf(() => Client.RbacAuthorizationV1.CreateNamespacedRoleAsync(
            new V1Role { Metadata = new V1ObjectMeta { Name = "orphan" } }, "missing", cancellationToken: Ct));

        Assert.Equal(404, code);
    }

    [Fact]
    public async Task Pod_disruption_budgets_are_served_with_a_status_subresource()
    {
        var ns = await NewNamespaceAsync();
        var policy = await Client.PolicyV1.GetAPIResourcesAsync(Ct);

        var pdbs = policy.Resources.Single(r => r.Name == "poddisruptionbudgets");
        Assert.True(pdbs.Namespaced);
        Assert.Equal(["pdb"], pdbs.ShortNames);
        Assert.Contains(policy.Resources, r => r.Name == "poddisruptionbudgets/status");

        await Client.PolicyV1.CreateNamespacedPodDisruptionBudgetAsync(new V1PodDisruptionBudget
        {
            Metadata = new V1ObjectMeta { Name = "web" },
            Spec = new V1PodDisruptionBudgetSpec
            {
                MinAvailable = 1,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
            },
        }, ns, cancellationToken: Ct);
        var read = await Client.PolicyV1.ReadNamespacedPodDisruptionBudgetAsync("web", ns, cancellationToken: Ct);

        Assert.Equal("1", read.Spec.MinAvailable.Value);
        Assert.Equal("web", read.Spec.Selector.MatchLabels["app"]);
        Assert.Equal(1, read.Metadata.Generation);
    }
}
