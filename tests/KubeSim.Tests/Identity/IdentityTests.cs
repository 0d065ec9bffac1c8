using System.Net.Http.Headers;
using k8s;
using k8s.Models;
using Xunit;

namespace KubeSim.Tests.Identity;

public sealed class IdentityTests : SimTestBase
{
    protected override KubeSimOptions Options => new() { RunControllers = false, EnforceRbac = true };

    [Fact]
    public async Task Token_from_the_table_is_authorized_through_its_groups()
    {
        await NewNamespaceAsync("shop");
        Sim.Identities.Add("carol-token", "carol", ["readers"]);
        await Client.RbacAuthorizationV1.CreateNamespacedRoleAsync(new V1Role
        {
            Metadata = new V1ObjectMeta { Name = "read" },
            Rules = [new V1PolicyRule { ApiGroups = [""], Resources = ["configmaps"], Verbs = ["list"] }],
        }, "shop", cancellationToken: Ct);
        await Client.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(new V1RoleBinding
        {
            Metadata = new V1ObjectMeta { Name = "readers" },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = "read" },
            Subjects = [new Rbacv1Subject { Kind = "Group", Name = "readers", ApiGroup = "rbac.authorization.k8s.io" }],
        }, "shop", cancellationToken: Ct);

        using var carol = ClientWithToken("carol-token");
        var list = await carol.CoreV1.ListNamespacedConfigMapAsync("shop", cancellationToken: Ct);
        var (code, status) = await FailureOf(() => carol.CoreV1.ListNamespacedSecretAsync("shop", cancellationToken: Ct));

        Assert.Empty(list.Items);
        Assert.Equal(403, code);
        Assert.Equal("secrets is forbidden: User \"carol\" cannot list resource \"secrets\" in API group \"\" in the namespace \"shop\"", status.Message);
        Assert.Contains(Sim.Requests.Snapshot(), r => r.User == "carol" && r.Resource == "configmaps");
    }

    [Fact]
    public async Task A_planted_token_naming_an_admin_group_is_just_a_user_name_without_masters()
    {
        // "system:masters" as a bearer token is a user called that, not a member of the group.
        using var planted = ClientWithToken("system:masters");

        var (code, status) = await FailureOf(() => planted.CoreV1.ListNamespacedSecretAsync("default", cancellationToken: Ct));

        Assert.Equal(403, code);
        Assert.Contains("User \"system:masters\" cannot list", status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_masters_group_from_the_table_is_cluster_admin()
    {
        Sim.Identities.Add("root-token", "root", ["system:masters"]);
        using var root = ClientWithToken("root-token");

        var secrets = await root.CoreV1.ListNamespacedSecretAsync("default", cancellationToken: Ct);

        Assert.NotNull(secrets);
    }

    [Fact]
    public void Token_file_lines_parse_like_kube_apiservers_static_token_file()
    {
        Sim.Identities.Load(new StringReader("""
            # comment
            t1,alice,uid-1,"devs,ops"
            t2,system:serviceaccount:shop:builder,uid-2
            t3,bob
            """));

        Assert.Equal(new AuthUser("alice", "uid-1", ["devs", "ops", "system:authenticated"]).Username, Sim.Identities.Find("t1")!.Username);
        Assert.Equal(["devs", "ops", "system:authenticated"], Sim.Identities.Find("t1")!.Groups);
        Assert.Equal(["system:serviceaccounts", "system:serviceaccounts:shop", "system:authenticated"], Sim.Identities.Find("t2")!.Groups);
        Assert.Equal("uid-2", Sim.Identities.Find("t2")!.Uid);
        Assert.Equal(["system:authenticated"], Sim.Identities.Find("t3")!.Groups);
        Assert.False(string.IsNullOrEmpty(Sim.Identities.Find("t3")!.Uid));
        var bad = Assert.Throws<FormatException>(() => Sim.Identities.Load(new StringReader("only-a-token\n")));
        Assert.Equal("line 1: expected token,user[,uid[,\"group1,group2\"]]", bad.Message);
    }

    private IKubernetes ClientWithToken(string token) => new Kubernetes(new KubernetesClientConfiguration { Host = Sim.Url.ToString().TrimEnd('/'), AccessToken = token });
}

public sealed class UnknownTokenTests : SimTestBase
{
    protected override KubeSimOptions Options => new() { RunControllers = false, RejectUnknownTokens = true };

    [Fact]
    public async Task Unknown_tokens_are_401_when_refused_and_known_ones_and_the_admin_pass()
    {
        Sim.Identities.Add("known", "dave");
        using var http = new HttpClient { BaseAddress = Sim.Url };

        var unknown = await GetAsync(http, "api/v1/namespaces", "guessed-token");
        var known = await GetAsync(http, "api/v1/namespaces", "known");
        var admin = await GetAsync(http, "api/v1/namespaces", null);

        Assert.Equal(401, unknown.Code);
        Assert.Contains("\"reason\":\"Unauthorized\"", unknown.Body, StringComparison.Ordinal);
        Assert.Equal(200, known.Code);
        Assert.Equal(200, admin.Code);
        Assert.Contains(Sim.Requests.Snapshot(), r => r.User == "guessed-token" && r.StatusCode == 401);
    }

    private static async Task<(int Code, string Body)> GetAsync(HttpClient http, string path, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await http.SendAsync(request, Ct);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
    }
}

public sealed class TokenAudienceTests : SimTestBase
{
    [Fact]
    public async Task A_token_bound_to_audiences_authenticates_only_for_them()
    {
        Sim.Identities.Add("bound", "system:serviceaccount:shop:api", audiences: ["https://api.shop", "vault"]);

        var matching = await ReviewAsync("bound", ["vault", "other"]);
        var unasked = await ReviewAsync("bound", []);
        var foreign = await ReviewAsync("bound", ["https://evil"]);

        Assert.True(matching.Status.Authenticated);
        Assert.Equal(["vault"], matching.Status.Audiences);
        Assert.Equal(["system:serviceaccounts", "system:serviceaccounts:shop", "system:authenticated"], matching.Status.User.Groups);
        Assert.True(unasked.Status.Authenticated);
        Assert.Equal(["https://api.shop", "vault"], unasked.Status.Audiences);
        Assert.NotEqual(true, foreign.Status.Authenticated);
        Assert.Null(foreign.Status.User.Username);
        Assert.Equal("[invalid bearer token, token audiences [\"https://api.shop\" \"vault\"] is invalid for the target audiences [\"https://evil\"]]", foreign.Status.Error);
    }

    [Fact]
    public async Task An_audience_agnostic_token_echoes_the_requested_audiences()
    {
        Sim.Identities.Add("plain", "erin");

        var review = await ReviewAsync("plain", ["anything"]);

        Assert.True(review.Status.Authenticated);
        Assert.Equal(["anything"], review.Status.Audiences);
        Assert.Equal(["system:authenticated"], review.Status.User.Groups);
    }

    private Task<V1TokenReview> ReviewAsync(string token, IList<string> audiences) =>
        Client.AuthenticationV1.CreateTokenReviewAsync(new V1TokenReview { Spec = new V1TokenReviewSpec { Token = token, Audiences = audiences } }, cancellationToken: Ct);
}
