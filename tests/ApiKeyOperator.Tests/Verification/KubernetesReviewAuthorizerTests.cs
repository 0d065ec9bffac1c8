using System.Text.Json.Nodes;
using ApiKeyOperator.Verification;
using k8s;
using Xunit;

namespace ApiKeyOperator.Tests.Verification;

public sealed class KubernetesReviewAuthorizerTests : IAsyncLifetime
{
    private readonly FakeAuthApiServer _apiServer = new();
    private Kubernetes? _client;

    public async ValueTask InitializeAsync()
    {
        await _apiServer.StartAsync(TestContext.Current.CancellationToken);
        _client = new Kubernetes(new KubernetesClientConfiguration { Host = _apiServer.Address.ToString() });
    }

    public async ValueTask DisposeAsync()
    {
        _client?.Dispose();
        await _apiServer.DisposeAsync();
    }

    [Fact]
    public async Task TokenReview_identifies_the_caller_and_SubjectAccessReview_asks_for_create_apikeyreviews_in_the_namespace()
    {
        _apiServer.Users["sa-token"] = JsonNode.Parse("""
            {"username":"system:serviceaccount:payments:gateway","uid":"u-1",
             "groups":["system:serviceaccounts","system:serviceaccounts:payments"],
             "extra":{"authentication.kubernetes.io/pod-name":["gateway-0"]}}
            """)!.AsObject();
        _apiServer.Grants[("system:serviceaccount:payments:gateway", "payments")] = true;
        var authorizer = new KubernetesReviewAuthorizer(_client!);
        var ct = TestContext.Current.CancellationToken;

        var caller = await authorizer.AuthenticateAsync("sa-token", ct);

        Assert.NotNull(caller);
        Assert.Equal("system:serviceaccount:payments:gateway", caller.UserName);
        Assert.Equal("u-1", caller.Uid);
        Assert.Equal(["system:serviceaccounts", "system:serviceaccounts:payments"], caller.Groups);
        Assert.Equal(["gateway-0"], caller.Extra["authentication.kubernetes.io/pod-name"]);
        Assert.True(await authorizer.IsAllowedAsync(caller, "payments", ct));
        Assert.False(await authorizer.IsAllowedAsync(caller, "search", ct));

        var sent = _apiServer.AccessReviewRequests.First()["spec"]!;
        Assert.Equal("system:serviceaccount:payments:gateway", sent["user"]!.GetValue<string>());
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
    public async Task Token_the_api_server_does_not_authenticate_gives_no_caller()
    {
        var authorizer = new KubernetesReviewAuthorizer(_client!);

        Assert.Null(await authorizer.AuthenticateAsync("stolen-or-expired", TestContext.Current.CancellationToken));
    }
}
