using k8s;
using k8s.Models;
using Xunit;

namespace KubeSim.Tests.Testing;

public sealed class RbacTests : SimTestBase
{
    private const string Operator = "system:serviceaccount:ops:operator";

    protected override KubeSimOptions Options => new() { RunControllers = false, EnforceRbac = true };

    private async Task GrantAsync()
    {
        await Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "ops" } }, cancellationToken: Ct);
        await Client.RbacAuthorizationV1.CreateClusterRoleAsync(new V1ClusterRole
        {
            Metadata = new V1ObjectMeta { Name = "secret-reader" },
            Rules = [new V1PolicyRule { ApiGroups = [""], Resources = ["secrets"], Verbs = ["get", "list", "watch"] }],
        }, cancellationToken: Ct);
        await Client.RbacAuthorizationV1.CreateClusterRoleBindingAsync(new V1ClusterRoleBinding
        {
            Metadata = new V1ObjectMeta { Name = "operator-reads-secrets" },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = "secret-reader" },
            Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = "operator", NamespaceProperty = "ops" }],
        }, cancellationToken: Ct);
        await Client.RbacAuthorizationV1.CreateNamespacedRoleAsync(new V1Role
        {
            Metadata = new V1ObjectMeta { Name = "leases" },
            Rules = [new V1PolicyRule { ApiGroups = ["coordination.k8s.io"], Resources = ["leases"], Verbs = ["*"], ResourceNames = ["operator-lock"] }],
        }, "ops", cancellationToken: Ct);
        await Client.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(new V1RoleBinding
        {
            Metadata = new V1ObjectMeta { Name = "leases" },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = "leases" },
            Subjects = [new Rbacv1Subject { Kind = "Group", Name = "system:serviceaccounts:ops" }],
        }, "ops", cancellationToken: Ct);
    }

    private Kubernetes ClientAs(string user)
    {
        var path = Path.Combine(Path.GetTempPath(), $"kubesim-{Guid.NewGuid():N}.kubeconfig");
        Sim.WriteKubeconfig(path, user);
        try
        {
            return new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Rules_match_group_resource_verb_and_names_through_cluster_and_namespace_bindings()
    {
        await GrantAsync();

        Assert.True(Sim.Rbac.Allows(Operator, new RequestRecord("list", "", "secrets", null, null, null, 0, "/api/v1/secrets")));
        Assert.True(Sim.Rbac.Allows(Operator, new RequestRecord("get", "", "secrets", null, "default", "s", 0, "")));
        Assert.False(Sim.Rbac.Allows(Operator, new RequestRecord("create", "", "secrets", null, "default", null, 0, "")));
        Assert.True(Sim.Rbac.Allows(Operator, new RequestRecord("update", "coordination.k8s.io", "leases", null, "ops", "operator-lock", 0, "")));
        Assert.False(Sim.Rbac.Allows(Operator, new RequestRecord("update", "coordination.k8s.io", "leases", null, "ops", "other", 0, "")));
        Assert.False(Sim.Rbac.Allows(Operator, new RequestRecord("update", "coordination.k8s.io", "leases", null, "default", "operator-lock", 0, "")));
        Assert.False(Sim.Rbac.Allows("system:serviceaccount:other:operator", new RequestRecord("get", "", "secrets", null, "default", "s", 0, "")));
        Assert.True(Sim.Rbac.Allows(null, new RequestRecord("delete", "", "namespaces", null, null, "x", 0, "")));
    }

    [Fact]
    public async Task Aggregated_cluster_roles_carry_the_rules_of_the_roles_they_select()
    {
        await Client.RbacAuthorizationV1.CreateClusterRoleAsync(new V1ClusterRole
        {
            Metadata = new V1ObjectMeta { Name = "view-widgets", Labels = new Dictionary<string, string> { ["rbac.example.com/aggregate-to-view"] = "true" } },
            Rules = [new V1PolicyRule { ApiGroups = ["example.com"], Resources = ["widgets", "widgets/status"], Verbs = ["get"] }],
        }, cancellationToken: Ct);
        await Client.RbacAuthorizationV1.CreateClusterRoleAsync(new V1ClusterRole
        {
            Metadata = new V1ObjectMeta { Name = "view" },
            AggregationRule = new V1AggregationRule
            {
                ClusterRoleSelectors = [new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["rbac.example.com/aggregate-to-view"] = "true" } }],
            },
        }, cancellationToken: Ct);
        await Client.RbacAuthorizationV1.CreateClusterRoleBindingAsync(new V1ClusterRoleBinding
        {
            Metadata = new V1ObjectMeta { Name = "alice-views" },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = "view" },
            Subjects = [new Rbacv1Subject { Kind = "User", Name = "alice" }],
        }, cancellationToken: Ct);

        Assert.True(Sim.Rbac.Allows("alice", new RequestRecord("get", "example.com", "widgets", "status", "default", "w", 0, "")));
        Assert.False(Sim.Rbac.Allows("alice", new RequestRecord("patch", "example.com", "widgets", "status", "default", "w", 0, "")));
    }

    [Fact]
    public async Task With_enforcement_requests_outside_the_grants_are_Forbidden_and_logged_with_the_user()
    {
        await GrantAsync();
        await Client.CoreV1.CreateNamespacedSecretAsync(Secret("s"), "default", cancellationToken: Ct);
        using var asOperator = ClientAs(Operator);

        var read = await asOperator.CoreV1.ReadNamespacedSecretAsync("s", "default", cancellationToken: Ct);
        var (code, status) = await FailureOf(() => asOperator.CoreV1.DeleteNamespacedSecretAsync("s", "default", cancellationToken: Ct));

        Assert.Equal("s", read.Metadata.Name);
        Assert.Equal(403, code);
        Assert.Equal("Forbidden", status.Reason);
        Assert.Equal($"secrets \"s\" is forbidden: User \"{Operator}\" cannot delete resource \"secrets\" in API group \"\" in the namespace \"default\"", status.Message);
        var calls = Sim.Requests.Snapshot().Where(r => r.User == Operator).ToList();
        Assert.Equal([("get", 200), ("delete", 403)], calls.Select(r => (r.Verb, r.StatusCode)));
        Assert.Equal([calls[1]], Sim.Rbac.Denied(Operator, calls));
    }

    [Fact]
    public async Task Access_reviews_answer_from_the_stored_rbac()
    {
        await GrantAsync();

        var review = await Client.AuthorizationV1.CreateSubjectAccessReviewAsync(new V1SubjectAccessReview
        {
            Spec = new V1SubjectAccessReviewSpec
            {
                User = Operator,
                ResourceAttributes = new V1ResourceAttributes { Verb = "watch", Resource = "secrets", NamespaceProperty = "default" },
            },
        }, cancellationToken: Ct);
        using var asOperator = ClientAs(Operator);
        var self = await asOperator.AuthorizationV1.CreateSelfSubjectAccessReviewAsync(new V1SelfSubjectAccessReview
        {
            Spec = new V1SelfSubjectAccessReviewSpec { ResourceAttributes = new V1ResourceAttributes { Verb = "create", Resource = "secrets", NamespaceProperty = "default" } },
        }, cancellationToken: Ct);

        Assert.True(review.Status.Allowed);
        Assert.False(self.Status.Allowed);
    }
}
