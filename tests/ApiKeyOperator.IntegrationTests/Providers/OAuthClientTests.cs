using System.Diagnostics;
using ApiKeyOperator.Api;
using ApiKeyOperator.IntegrationTests.Harness;
using ApiKeyOperator.IntegrationTests.Operator;
using ApiKeyOperator.Verification;
using Duende.IdentityModel.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Xunit;

namespace ApiKeyOperator.IntegrationTests.Providers;

/// <summary>
/// Clients nobody here wrote: Duende.IdentityModel obtains tokens (client_secret_basic and client_secret_post, and
/// reads the discovery document with its own validation), and a provider on ASP.NET Core's JwtBearer handler
/// validates them offline through OIDC discovery.
/// </summary>
public sealed class OAuthClientTests(ClusterFixture cluster) : ProvidersTest(cluster)
{
    [Fact]
    public async Task Standard_client_gets_a_token_that_a_JwtBearer_provider_accepts_with_the_right_scope_only()
    {
        var running = await StartProviderOperatorAsync();
        var client = await CreateClientAsync("exporter", ["recordings:read", "recordings:list"]);
        var provider = Track(await ProviderApp.StartAsync(Issuer(running), Audience, Ct));

        var discovery = await Http.GetDiscoveryDocumentAsync(new DiscoveryDocumentRequest { Address = Issuer(running), Policy = { RequireHttps = false } }, Ct);
        Assert.False(discovery.IsError, discovery.Error);
        Assert.Equal(Issuer(running) + "/oauth2/token", discovery.TokenEndpoint);
        Assert.NotEmpty(discovery.KeySet!.Keys);

        var basic = await RequestTokenAsync(running, client);
        var post = await RequestTokenAsync(running, client, "recordings:list", ClientCredentialStyle.PostBody);
        Assert.False(basic.IsError, basic.Error);
        Assert.False(post.IsError, post.Error);
        Assert.Equal(("Bearer", 3600, "recordings:read recordings:list"), (basic.TokenType, basic.ExpiresIn, basic.Scope));

        var allowed = await GetAsync(new Uri(provider.Url, "/recordings"), basic.AccessToken);
        var narrow = await GetAsync(new Uri(provider.Url, "/recordings"), post.AccessToken);
        var anonymous = await GetAsync(new Uri(provider.Url, "/recordings"));

        Assert.Equal(200, allowed.Status);
        var body = Json(allowed.Body);
        Assert.Equal(client.ClientId, body.GetProperty("client").GetString());
        Assert.Equal($"{Namespace}/exporter", body.GetProperty("apiKey").GetString());
        Assert.Equal(403, narrow.Status);
        Assert.Equal(401, anonymous.Status);
        Assert.DoesNotContain(client.ClientSecret, Logs.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(basic.AccessToken!, Logs.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_secret_scope_beyond_the_key_and_a_Token_format_key_are_refused_as_RFC_6749_says()
    {
        var running = await StartProviderOperatorAsync();
        var client = await CreateClientAsync("exporter", ["recordings:read"]);
        await CreateApiKeyAsync("plain");
        await WaitForReadyAsync("plain");
        var plainKey = await ReadKeyAsync("plain-key");
        var keyId = (await Resources<ApiKey>().GetAsync(Key("plain"), Ct))!.Status.CurrentKeyId!;

        var wrongSecret = await RequestTokenAsync(running, (client.ClientId, client.ClientSecret[..^1] + (client.ClientSecret[^1] == 'a' ? 'b' : 'a')));
        var tooWide = await RequestTokenAsync(running, client, "recordings:read recordings:delete");
        var tokenFormat = await RequestTokenAsync(running, ("ak_" + keyId, plainKey));

        // Duende reports a 401 as an HTTP error; the RFC 6749 body is still there.
        Assert.Equal(("invalid_client", 401), (wrongSecret.TryGet("error"), (int)wrongSecret.HttpStatusCode));
        Assert.Equal("Basic", wrongSecret.HttpResponse!.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(("invalid_scope", 400, ResponseErrorType.Protocol), (tooWide.Error, (int)tooWide.HttpStatusCode, tooWide.ErrorType));
        Assert.Equal(("invalid_client", 401), (tokenFormat.TryGet("error"), (int)tokenFormat.HttpStatusCode));
    }

    [Fact]
    public async Task Provider_picks_up_a_rotated_signing_key_and_keeps_accepting_tokens_of_the_previous_one()
    {
        var running = await StartProviderOperatorAsync(["--token-signing-key-rotation", "3s", "--token-signing-key-publish-ahead", "1s"]);
        var client = await CreateClientAsync("exporter", ["recordings:read"]);
        var provider = Track(await ProviderApp.StartAsync(Issuer(running), Audience, Ct));
        var first = await AccessTokenAsync(running, client);
        Assert.Equal(200, (await GetAsync(new Uri(provider.Url, "/recordings"), first)).Status);
        var firstKid = new JsonWebToken(first).Kid;

        var rotated = await Eventually.GetAsync(
            async _ => await AccessTokenAsync(running, client) is var token && new JsonWebToken(token).Kid != firstKid ? token : null,
            Timeout, "a token signed with the next signing key", Ct);

        await Eventually.WaitAsync(
            async _ => (await GetAsync(new Uri(provider.Url, "/recordings"), rotated)).Status == 200,
            Timeout, "the provider accepting the token of the rotated signing key", Ct);
        Assert.Equal(200, (await GetAsync(new Uri(provider.Url, "/recordings"), first)).Status);
        var jwks = await Http.GetStringAsync(Issuer(running) + "/.well-known/jwks.json", Ct);
        Assert.Contains(firstKid, jwks, StringComparison.Ordinal);
    }

    /// <summary>
    /// The operator's clock runs 52 s behind the provider's, so a 60 s token reaches the provider with 8 s to
    /// live: accepted now, refused once its exp has passed on the provider's own clock.
    /// </summary>
    [Fact]
    public async Task Provider_refuses_the_token_once_it_has_expired()
    {
        var running = await StartProviderOperatorAsync(configure: s => s.AddSingleton<TimeProvider>(new ShiftedTimeProvider(TimeSpan.FromSeconds(-52))));
        var client = await CreateClientAsync("exporter", ["recordings:read"], tokenLifetimeSeconds: 60);
        var provider = Track(await ProviderApp.StartAsync(Issuer(running), Audience, Ct));

        var token = await RequestTokenAsync(running, client);
        Assert.False(token.IsError, $"{token.HttpStatusCode} {token.Raw}");
        var expiresAt = new JsonWebToken(token.AccessToken).ValidTo;
        Assert.Equal(60, token.ExpiresIn);
        var fresh = await GetAsync(new Uri(provider.Url, "/recordings"), token.AccessToken);
        Assert.True(fresh.Status == 200 || DateTime.UtcNow >= expiresAt, $"a live token was refused: {fresh.Status}");

        var refused = await Eventually.GetAsync(
            async _ => await GetAsync(new Uri(provider.Url, "/recordings"), token.AccessToken) is { Status: 401 } answer ? answer.Response : null,
            Timeout, "the provider refusing the expired token", Ct);

        Assert.True(DateTime.UtcNow >= expiresAt, $"refused at {DateTime.UtcNow:O}, before exp {expiresAt:O}");
        var challenge = refused.Headers.WwwAuthenticate.ToString();
        Assert.Contains("invalid_token", challenge, StringComparison.Ordinal);
        Assert.Contains("expired", challenge, StringComparison.Ordinal);
    }

    /// <summary>
    /// The documented trade-off: after an Emergency rotation an offline verifier keeps accepting a token until it
    /// expires, while ApiKeyReview (and forward-auth) refuse it at once, because they know the token's key id.
    /// </summary>
    [Fact]
    public async Task Revoked_key_tokens_are_refused_at_once_by_review_and_forward_auth_but_not_by_an_offline_verifier()
    {
        var running = await StartProviderOperatorAsync();
        var client = await CreateClientAsync("exporter", ["recordings:read"]);
        var provider = Track(await ProviderApp.StartAsync(Issuer(running), Audience, Ct));
        var token = await AccessTokenAsync(running, client);
        var reviews = Reviews(running);
        var forwardAuth = new Uri(Issuer(running) + $"/forward-auth?namespaces={Namespace}&scopes=recordings:read");
        Assert.Equal(ReviewReason.Valid, (await reviews.ReviewAsync(new ApiKeyReviewSpec { Token = token }, Ct)).Reason);
        Assert.Equal(200, (await GetAsync(forwardAuth, token)).Status);

        await CreateRotationAsync("leaked", "exporter", s => s.Strategy = RotationStrategies.Emergency);
        await WaitForAsync<ApiKey>("exporter", k => k.Status?.Keys?.Any(x => x.State == KeyStates.Revoked) == true, "old key revoked");

        var clock = Stopwatch.StartNew();
        await Eventually.WaitAsync(async _ => (await reviews.ReviewAsync(new ApiKeyReviewSpec { Token = token }, Ct)).Reason == ReviewReason.Revoked, Timeout, "review refusing the token", Ct);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"review took {clock.Elapsed} to refuse the revoked key's token");
        Assert.Equal(401, (await GetAsync(forwardAuth, token)).Status);
        Assert.Equal(200, (await GetAsync(new Uri(provider.Url, "/recordings"), token)).Status);
        // The Secret holds the new key a moment before the operator's cache shows it Active in status; a client
        // that reads the new credential at once retries until the token endpoint knows it.
        var newClient = await ReadClientAsync("exporter-key");
        var fresh = (await Eventually.GetAsync(
            async _ => await RequestTokenAsync(running, newClient) is { IsError: false } ok ? ok : null,
            Timeout,
            "a token for the key the Emergency rotation issued",
            Ct)).AccessToken!;
        Assert.Equal(200, (await GetAsync(forwardAuth, fresh)).Status);
        var oldClientRefused = await RequestTokenAsync(running, client);
        Assert.Equal("invalid_client", oldClientRefused.TryGet("error"));
    }
}
