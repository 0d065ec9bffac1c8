using System.Net;
using ApiKeyOperator.Verification.Signing;
using ApiKeyOperator.Verification.Tokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using Xunit;

namespace ApiKeyOperator.Tests.Verification.Providers;

public sealed class WellKnownEndpointsTests : IAsyncLifetime
{
    private readonly ProviderKit _kit = new();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private HttpClient _client = null!;

    public async ValueTask InitializeAsync() => _client = await _kit.StartAsync();

    public ValueTask DisposeAsync() => _kit.DisposeAsync();

    [Fact]
    public async Task Discovery_points_at_the_token_endpoint_and_the_JWKS_under_the_issuer()
    {
        var text = await _client.GetStringAsync(WellKnownEndpoints.OpenIdConfigurationPath, _ct);

        var configuration = OpenIdConnectConfiguration.Create(text);
        Assert.Equal(ProviderKit.Issuer, configuration.Issuer);
        Assert.Equal(ProviderKit.Issuer + "/oauth2/token", configuration.TokenEndpoint);
        Assert.Equal(ProviderKit.Issuer + "/.well-known/jwks.json", configuration.JwksUri);
        Assert.Equal(["client_credentials"], configuration.GrantTypesSupported);
        Assert.Equal(["client_secret_basic", "client_secret_post"], configuration.TokenEndpointAuthMethodsSupported);
    }

    [Fact]
    public async Task JWKS_lists_the_next_key_before_it_signs()
    {
        var next = SigningKeyGenerator.Generate(ProviderKit.Now.UtcDateTime, ProviderKit.Now.UtcDateTime.AddHours(1));
        _kit.Ring.Update([.. _kit.Ring.Keys.Select(k => k.Key), next]);

        using var response = await _client.GetAsync(WellKnownEndpoints.JwksPath, _ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("public, max-age=300", response.Headers.CacheControl?.ToString());
        var jwks = new JsonWebKeySet(await response.Content.ReadAsStringAsync(_ct));
        Assert.Contains(jwks.Keys, k => k.Kid == next.Kid);
        Assert.Equal(2, jwks.GetSigningKeys().Count);
    }

    [Fact]
    public async Task Only_GET_and_HEAD()
    {
        using var response = await _client.PostAsync(WellKnownEndpoints.JwksPath, new StringContent("{}"), _ct);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public void JWKS_cache_lifetime_stays_well_inside_the_publish_ahead_time()
    {
        var shortAhead = new WellKnownEndpoints(_kit.Options, _kit.Ring, new SigningKeyPolicy(TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(2), TimeSpan.FromHours(25)));

        Assert.Equal(TimeSpan.FromSeconds(30), shortAhead.JwksMaxAge);
    }
}
