using System.Net.Http.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Xunit;

namespace KubeSim.Tests.Auth;

public sealed class TokenReviewTests : SimTestBase
{
    [Fact]
    public async Task Known_token_authenticates_as_the_user_in_the_table()
    {
        var user = new AuthUser("system:serviceaccount:shop:checkout", "uid-1", ["system:serviceaccounts", "system:authenticated"]);
        Sim.Auth.SetToken("token-checkout", user);

        var review = await Client.AuthenticationV1.CreateTokenReviewAsync(
            new V1TokenReview { Spec = new V1TokenReviewSpec { Token = "token-checkout", Audiences = ["api"] } }, cancellationToken: Ct);

        Assert.True(review.Status.Authenticated);
        Assert.Equal("system:serviceaccount:shop:checkout", review.Status.User.Username);
        Assert.Equal("uid-1", review.Status.User.Uid);
        Assert.Equal(["system:serviceaccounts", "system:authenticated"], review.Status.User.Groups);
        Assert.Equal(["api"], review.Status.Audiences);
        Assert.Equal("token-checkout", review.Spec.Token);
    }

    [Fact]
    public async Task Unknown_or_removed_token_is_not_authenticated_and_says_why()
    {
        Sim.Auth.SetToken("short-lived", AuthUser.ServiceAccount("shop", "checkout"));
        Sim.Auth.RemoveToken("short-lived");

        var review = await Client.AuthenticationV1.CreateTokenReviewAsync(
            new V1TokenReview { Spec = new V1TokenReviewSpec { Token = "short-lived" } }, cancellationToken: Ct);

        Assert.NotEqual(true, review.Status.Authenticated);
        Assert.Null(review.Status.User.Username);
        Assert.Equal("invalid bearer token", review.Status.Error);
    }

    [Fact]
    public async Task Answer_is_201_with_the_request_echoed_and_nothing_stored()
    {
        Sim.Auth.SetToken("t", AuthUser.ServiceAccount("shop", "checkout"));
        using var http = new HttpClient { BaseAddress = Sim.Url };

        using var response = await http.PostAsJsonAsync("apis/authentication.k8s.io/v1/tokenreviews",
            new JsonObject { ["apiVersion"] = "authentication.k8s.io/v1", ["kind"] = "TokenReview", ["spec"] = new JsonObject { ["token"] = "t" } }, Ct);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;

        Assert.Equal(201, (int)response.StatusCode);
        Assert.Equal("TokenReview", body["kind"]!.GetValue<string>());
        Assert.Equal("authentication.k8s.io/v1", body["apiVersion"]!.GetValue<string>());
        Assert.Equal("t", body["spec"]!["token"]!.GetValue<string>());
        Assert.True(body["status"]!["authenticated"]!.GetValue<bool>());
        Assert.Equal(1, Sim.Requests.Count(verb: "create", resource: "tokenreviews", statusCode: 201));
        using var get = await http.GetAsync("apis/authentication.k8s.io/v1/tokenreviews", Ct);
        Assert.Equal(405, (int)get.StatusCode);
    }

    [Fact]
    public async Task Empty_token_is_a_bad_request()
    {
        var (code, status) = await FailureOf(() => Client.AuthenticationV1.CreateTokenReviewAsync(
            new V1TokenReview { Spec = new V1TokenReviewSpec { Token = "" } }, cancellationToken: Ct));

        Assert.Equal(400, code);
        Assert.Equal("token is required for TokenReview in authentication", status.Message);
    }

    [Fact]
    public async Task Discovery_lists_the_review_resources_as_create_only()
    {
        var authentication = await Client.AuthenticationV1.GetAPIResourcesAsync(Ct);
        var authorization = await Client.AuthorizationV1.GetAPIResourcesAsync(Ct);
        var groups = await Client.Apis.GetAPIVersionsAsync(Ct);

        var tokenReviews = Assert.Single(authentication.Resources);
        Assert.Equal(("tokenreviews", "TokenReview", false), (tokenReviews.Name, tokenReviews.Kind, tokenReviews.Namespaced));
        Assert.Equal(["create"], tokenReviews.Verbs);
        Assert.Equal(["selfsubjectaccessreviews", "subjectaccessreviews"], authorization.Resources.Select(r => r.Name).Order());
        Assert.All(authorization.Resources, r => Assert.Equal(["create"], r.Verbs));
        var accessReviews = authorization.Resources.Single(r => r.Name == "subjectaccessreviews");
        Assert.Equal(("SubjectAccessReview", false), (accessReviews.Kind, accessReviews.Namespaced));
        Assert.Contains(groups.Groups, g => g.Name == "authentication.k8s.io" && g.PreferredVersion.GroupVersion == "authentication.k8s.io/v1");
        Assert.Contains(groups.Groups, g => g.Name == "authorization.k8s.io" && g.PreferredVersion.GroupVersion == "authorization.k8s.io/v1");
    }
}
