using System.Text.Json.Nodes;
using ApiKeyOperator.Security;
using ApiKeyOperator.Tests.Verification;
using k8s;
using Xunit;

namespace ApiKeyOperator.Tests.Security;

public sealed class KubernetesRequestAuthorizerTests : IAsyncLifetime
{
    private const string Gateway = "system:serviceaccount:payments:gateway";
    private readonly FakeAuthApiServer _apiServer = new();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private Kubernetes? _client;

    public async ValueTask InitializeAsync()
    {
        await _apiServer.StartAsync(_ct);
        _client = new Kubernetes(new KubernetesClientConfiguration { Host = _apiServer.Address.ToString() });
        _apiServer.Users["sa-token"] = JsonNode.Parse($$$"""
            {"username":"{{{Gateway}}}","uid":"u-1",
             "groups":["system:serviceaccounts","system:serviceaccounts:payments"],
             "extra":{"authentication.kubernetes.io/pod-name":["gateway-0"]}}
            """)!.AsObject();
    }

    public async ValueTask DisposeAsync()
    {
        _client?.Dispose();
        await _apiServer.DisposeAsync();
    }

    [Fact]
    public async Task TokenReview_asks_for_the_audience_and_SubjectAccessReview_carries_the_whole_identity()
    {
        _apiServer.TokenAudiences["sa-token"] = ["apikeyoperator.io"];
        _apiServer.Grants[(Gateway, "payments")] = true;
        var authorizer = new KubernetesRequestAuthorizer(_client!, ["apikeyoperator.io"]);

        var caller = await authorizer.AuthenticateAsync("sa-token", _ct);

        Assert.NotNull(caller);
        Assert.Equal(Gateway, caller.UserName);
        Assert.Equal("u-1", caller.Uid);
        Assert.Equal(["system:serviceaccounts", "system:serviceaccounts:payments"], caller.Groups);
        Assert.Equal(["gateway-0"], caller.Extra["authentication.kubernetes.io/pod-name"]);
        Assert.Equal("apikeyoperator.io", _apiServer.TokenReviewRequests.Single()["spec"]!["audiences"]![0]!.GetValue<string>());
        var review = AccessRequest.OnResource("create", "apikeyoperator.io", "apikeyreviews", "payments");
        Assert.True(await authorizer.IsAllowedAsync(caller, review, _ct));
        Assert.False(await authorizer.IsAllowedAsync(caller, review with { Namespace = "search" }, _ct));

        var sent = _apiServer.AccessReviewRequests.First()["spec"]!;
        Assert.Equal(Gateway, sent["user"]!.GetValue<string>());
        Assert.Equal("u-1", sent["uid"]!.GetValue<string>());
        Assert.Equal(2, sent["groups"]!.AsArray().Count);
        Assert.Equal("gateway-0", sent["extra"]!["authentication.kubernetes.io/pod-name"]![0]!.GetValue<string>());
        var attributes = sent["resourceAttributes"]!;
        Assert.Equal("create", attributes["verb"]!.GetValue<string>());
        Assert.Equal("apikeyoperator.io", attributes["group"]!.GetValue<string>());
        Assert.Equal("apikeyreviews", attributes["resource"]!.GetValue<string>());
        Assert.Equal("payments", attributes["namespace"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_token_issued_for_another_audience_does_not_authenticate()
    {
        // The API server's own audience: a ServiceAccount's ordinary token, replayed at the review endpoint.
        _apiServer.TokenAudiences["sa-token"] = ["https://kubernetes.default.svc.cluster.local"];
        var authorizer = new KubernetesRequestAuthorizer(_client!, ["apikeyoperator.io"]);

        Assert.Null(await authorizer.AuthenticateAsync("sa-token", _ct));
    }

    [Fact]
    public async Task A_server_that_ignores_the_audience_is_not_trusted_with_it()
    {
        _apiServer.IgnoresAudiences = true;
        var authorizer = new KubernetesRequestAuthorizer(_client!, ["apikeyoperator.io"]);

        Assert.Null(await authorizer.AuthenticateAsync("sa-token", _ct));
    }

    [Fact]
    public async Task Without_audiences_the_api_servers_own_apply_and_metrics_access_is_a_non_resource_check()
    {
        _apiServer.Grants[(Gateway, "/metrics")] = true;
        var authorizer = new KubernetesRequestAuthorizer(_client!, []);

        var caller = await authorizer.AuthenticateAsync("sa-token", _ct);

        Assert.NotNull(caller);
        Assert.Null(_apiServer.TokenReviewRequests.Single()["spec"]!["audiences"]);
        Assert.True(await authorizer.IsAllowedAsync(caller, AccessRequest.OnPath("get", "/metrics"), _ct));
        var sent = _apiServer.AccessReviewRequests.Single()["spec"]!;
        Assert.Null(sent["resourceAttributes"]);
        Assert.Equal("/metrics", sent["nonResourceAttributes"]!["path"]!.GetValue<string>());
        Assert.Equal("get", sent["nonResourceAttributes"]!["verb"]!.GetValue<string>());
    }

    [Fact]
    public async Task Token_the_api_server_does_not_authenticate_gives_no_caller()
    {
        var authorizer = new KubernetesRequestAuthorizer(_client!, ["apikeyoperator.io"]);

        Assert.Null(await authorizer.AuthenticateAsync("stolen-or-expired", _ct));
    }
}
