using System.Net;
using System.Net.Http.Headers;
using ApiKeyOperator.Keys;
using ApiKeyOperator.Verification;
using ApiKeyOperator.Verification.ForwardAuth;
using Xunit;

namespace ApiKeyOperator.Tests.Verification.Providers;

/// <summary>The gateway authenticates itself (TokenReview) and may only ask about namespaces it may review (SubjectAccessReview).</summary>
public sealed class ForwardAuthGatewayTests : IAsyncLifetime
{
    private readonly ProviderKit _kit = new();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private HttpClient _client = null!;

    public async ValueTask InitializeAsync()
    {
        _kit.Gateways.AddUser("gateway-token", "system:serviceaccount:ingress:nginx", "payments");
        _client = await _kit.StartAsync(gatewayAuth: true);
    }

    public ValueTask DisposeAsync() => _kit.DisposeAsync();

    [Fact]
    public async Task Authenticated_gateway_gets_decisions_for_its_namespaces()
    {
        var key = _kit.Issue("payments", "billing", IndexedKeyState.Active, [], CredentialFormat.Token);

        using var response = await SendAsync("/forward-auth?namespaces=payments", "Bearer gateway-token", key.ApiKey);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer not-a-gateway")]
    [InlineData("Bearer ")]
    public async Task Unauthenticated_gateway_gets_401_before_the_key_is_looked_at(string? gatewayHeader)
    {
        var key = _kit.Issue("payments", "billing", IndexedKeyState.Active, [], CredentialFormat.Token);

        using var response = await SendAsync("/forward-auth?namespaces=payments", gatewayHeader, key.ApiKey);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer realm=\"apikey-operator-gateway\"", response.Headers.WwwAuthenticate.ToString());
        Assert.Empty(_kit.Usage.Uses);
        Assert.Equal(1d, _kit.Metrics.Decisions(ForwardAuthReason.GatewayUnauthenticated));
    }

    [Fact]
    public async Task Gateway_route_naming_a_namespace_it_may_not_review_is_refused_whatever_the_key()
    {
        var key = _kit.Issue("payments", "billing", IndexedKeyState.Active, [], CredentialFormat.Token);

        using var response = await SendAsync("/forward-auth?namespaces=payments,hr", "Bearer gateway-token", key.ApiKey);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(1d, _kit.Metrics.Decisions(ForwardAuthReason.GatewayForbidden));
        Assert.Empty(_kit.Usage.Uses);
    }

    [Fact]
    public async Task Failing_TokenReview_is_503_never_a_pass()
    {
        var key = _kit.Issue("payments", "billing", IndexedKeyState.Active, [], CredentialFormat.Token);
        _kit.Gateways.Failure = new HttpRequestException("api server unreachable");

        using var response = await SendAsync("/forward-auth?namespaces=payments", "Bearer gateway-token", key.ApiKey);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.DoesNotContain("gateway-token", await response.Content.ReadAsStringAsync(_ct));
        Assert.All(_kit.Logs.Lines, l => Assert.DoesNotContain("gateway-token", l));
    }

    private async Task<HttpResponseMessage> SendAsync(string target, string? gateway, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, target);
        if (gateway is not null)
        {
            request.Headers.TryAddWithoutValidation(ForwardAuthHeaders.GatewayAuthorization, gateway);
        }

        request.Headers.Authorization = key is null ? null : new AuthenticationHeaderValue("Bearer", key);
        return await _client.SendAsync(request, _ct);
    }
}
