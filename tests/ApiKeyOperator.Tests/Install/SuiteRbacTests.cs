using System.Text.Json;
using Xunit;

namespace ApiKeyOperator.Tests.Install;

/// <summary>
/// Least privilege, proven from the whole integration suite: every request the operator's ServiceAccounts made on
/// KubeSim (the suite writes them to TestResults/operator-requests/) is granted by config/rbac, and every grant in
/// config/rbac was used. <c>make test</c> runs this after the suite; on its own it has nothing to read and skips.
/// </summary>
[Trait("Category", "AfterIntegrationSuite")]
public sealed class SuiteRbacTests
{
    private const string OperatorUser = "system:serviceaccount:apikey-operator-system:apikey-operator";
    private const string ReviewUser = "system:serviceaccount:apikey-operator-system:apikey-operator-review";

    /// <summary>
    /// Grants no request shows: the API server's OwnerReferencesPermissionEnforcement admission asks for update on the
    /// owner's finalizers when the credential Secret names its ApiKey with blockOwnerDeletion (KubeSim does not run it).
    /// </summary>
    private static readonly RbacGrant[] CheckedByAdmissionOnly = [new("apikeyoperator.io", "apikeys/finalizers", "update")];

    private static readonly IReadOnlyList<YamlDotNet.RepresentationModel.YamlMappingNode> Rbac = RbacRules.LoadConfigRbac();

    /// <summary>
    /// The suite's operators mostly run every component in one process as the controllers' ServiceAccount, so what
    /// that identity used may include the review endpoint's requests; the controllers' own roles must all be used.
    /// </summary>
    [Fact]
    public void The_controllers_used_exactly_what_config_rbac_grants_them()
    {
        var used = Used(OperatorUser);

        var manager = Grants("ClusterRole", OperatorPermissions.ManagerClusterRole);
        var authenticator = Grants("ClusterRole", OperatorPermissions.AuthenticatorClusterRole);
        var review = Grants("ClusterRole", OperatorPermissions.ReviewClusterRole);
        var leader = Grants("Role", OperatorPermissions.LeaderElectionRole);
        var certificates = Grants("Role", OperatorPermissions.CertificatesRole);
        var webhook = Grants("ClusterRole", "apikey-operator-webhook-injector");
        var byRole = used.GroupBy(r => r.Resource == "leases" ? "leader" : r.Resource == "configmaps" ? "certificates" : r.Resource.EndsWith("webhookconfigurations", StringComparison.Ordinal) ? "webhook" : "cluster")
            .ToDictionary(g => g.Key, g => g.Select(r => r.Grant).ToHashSet());
        var clusterUsed = byRole.GetValueOrDefault("cluster") ?? [];

        AssertNothingUngranted("the cluster-wide roles (with the review endpoint's, run in the same process)", manager.Concat(authenticator).Concat(review), clusterUsed);
        AssertNothingUnused("the manager and authenticator ClusterRoles", manager.Concat(authenticator), clusterUsed);
        AssertExactly("the leader election Role", leader, byRole.GetValueOrDefault("leader") ?? []);
        AssertExactly("the certificates Role", certificates, byRole.GetValueOrDefault("certificates") ?? []);
        // The CA injector patches only the shipped webhook configurations, by name.
        AssertExactly("the webhook injector ClusterRole", webhook, byRole.GetValueOrDefault("webhook") ?? []);
        Assert.All(used.Where(r => r.Resource.EndsWith("webhookconfigurations", StringComparison.Ordinal) && r.Verb == "patch"), r => Assert.Equal("apikey-operator", r.Name));
        // The certificates Role names the bundle ConfigMap: every read and update was of it.
        Assert.All(used.Where(r => r.Resource == "configmaps" && r.Verb != "create"), r => Assert.Equal("apikey-operator-ca.crt", r.Name));
    }

    [Fact]
    public void The_review_endpoint_used_exactly_what_config_rbac_grants_it_and_never_a_Secret()
    {
        var used = Used(ReviewUser);

        var review = Grants("ClusterRole", OperatorPermissions.ReviewClusterRole);
        var authenticator = Grants("ClusterRole", OperatorPermissions.AuthenticatorClusterRole);

        Assert.DoesNotContain(used, r => r.Resource == "secrets");
        AssertNothingUngranted("apikey-operator-review and apikey-operator-authenticator", review.Concat(authenticator), used.Select(r => r.Grant).ToHashSet());
        AssertNothingUnused("apikey-operator-review", review, used.Select(r => r.Grant).ToHashSet());
    }

    private static void AssertExactly(string role, IEnumerable<RbacGrant> granted, IReadOnlySet<RbacGrant> used)
    {
        AssertNothingUngranted(role, granted, used);
        AssertNothingUnused(role, granted, used);
    }

    private static void AssertNothingUngranted(string role, IEnumerable<RbacGrant> granted, IReadOnlySet<RbacGrant> used)
    {
        var grants = granted.ToHashSet();
        var notGranted = used.Where(g => !grants.Contains(g)).Select(g => g.ToString()).Order(StringComparer.Ordinal).ToList();
        Assert.True(notGranted.Count == 0, $"used but not granted by {role}:\n" + string.Join('\n', notGranted));
    }

    private static void AssertNothingUnused(string role, IEnumerable<RbacGrant> granted, IReadOnlySet<RbacGrant> used)
    {
        var unused = granted.Distinct().Where(g => !used.Contains(g) && !CheckedByAdmissionOnly.Contains(g)).Select(g => g.ToString()).Order(StringComparer.Ordinal).ToList();
        Assert.True(unused.Count == 0, $"granted by {role} but never used in the integration suite:\n" + string.Join('\n', unused));
    }

    private static IReadOnlySet<RbacGrant> Grants(string kind, string name) => RbacRules.Grants(YamlNodes.Find(Rbac, kind, name));

    private static List<UsedRequest> Used(string user)
    {
        var directory = RepoPaths.Combine("TestResults", "operator-requests");
        var files = Directory.Exists(directory) ? Directory.GetFiles(directory, "*.json") : [];
        if (files.Length == 0)
        {
            Assert.Skip($"no request log in {directory}: this check runs after the integration suite (make test)");
        }

        var used = files
            .SelectMany(file => JsonSerializer.Deserialize<List<UsedRequest>>(File.ReadAllText(file)) ?? [])
            .Where(r => r.User == user)
            .ToList();
        Assert.True(used.Count > 0, $"the integration suite logged no request of {user}");
        return used;
    }

    /// <summary>One line of the suite's log (Harness/SuiteRequestLog in the integration tests).</summary>
    private sealed record UsedRequest(string User, string Verb, string Group, string Resource, string? Subresource, bool Namespaced, string? Name, int Count)
    {
        public RbacGrant Grant => new(Group, Subresource is null ? Resource : $"{Resource}/{Subresource}", Verb);
    }
}
