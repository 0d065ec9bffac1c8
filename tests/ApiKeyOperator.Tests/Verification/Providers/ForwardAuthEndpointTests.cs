using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ApiKeyOperator.Keys;
using ApiKeyOperator.Verification;
using ApiKeyOperator.Verification.ForwardAuth;
using ApiKeyOperator.Verification.Tokens;
using Xunit;

namespace ApiKeyOperator.Tests.Verification.Providers;

public sealed class ForwardAuthEndpointTests : IAsyncLifetime
{
    private const string Route = "/forward-auth?namespaces=payments&scopes=recordings:read";

    private readonly ProviderKit _kit = new();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private HttpClient _client = null!;

    public async ValueTask InitializeAsync() => _client = await _kit.StartAsync();

    public ValueTask DisposeAsync() => _kit.DisposeAsync();

    [Theory]
    [InlineData("GET")]
    [InlineData("POST")]
    [InlineData("DELETE")]
    public async Task Valid_key_passes_with_identity_headers_for_any_method(string method)
    {
        var key = _kit.Issue("payments", "billing", IndexedKeyState.Active, ["recordings:read", "recordings:write"], CredentialFormat.Token);

        using var response = await SendAsync(Route, new HttpMethod(method), bearer: key.ApiKey);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("payments", Header(response, ForwardAuthHeaders.Namespace));
        Assert.Equal("billing", Header(response, ForwardAuthHeaders.Name));
        Assert.Equal(key.KeyId, Header(response, ForwardAuthHeaders.KeyId));
        Assert.Equal("recordings:read recordings:write", Header(response, ForwardAuthHeaders.Scopes));
        Assert.Equal("key", Header(response, ForwardAuthHeaders.Credential));
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(_ct));
        Assert.Single(_kit.Usage.Uses);
    }

    [Fact]
    public async Task Key_in_the_route_header_and_client_credentials_in_Basic_pass()
    {
        var key = _kit.Issue("payments", "billing", IndexedKeyState.Active, ["recordings:read"], CredentialFormat.Token);
        var client = _kit.Issue("payments", "exporter", IndexedKeyState.Active, ["recordings:read"]);

        using var viaHeader = await SendAsync(Route + "&header=X-Api-Key", headers: [("X-Api-Key", key.ApiKey!)]);
        using var viaBasic = await SendAsync(Route, authorization: new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{client.ClientId}:{client.ClientSecret}"))));
        using var headerIgnoresAuthorization = await SendAsync(Route + "&header=X-Api-Key", bearer: key.ApiKey);

        Assert.Equal(HttpStatusCode.OK, viaHeader.StatusCode);
        Assert.Equal((HttpStatusCode.OK, "exporter", "client-credentials"), (viaBasic.StatusCode, Header(viaBasic, ForwardAuthHeaders.Name), Header(viaBasic, ForwardAuthHeaders.Credential)));
        Assert.Equal(HttpStatusCode.Unauthorized, headerIgnoresAuthorization.StatusCode);
    }

    [Fact]
    public async Task Access_token_passes_and_is_refused_once_its_key_is_revoked()
    {
        var client = _kit.Issue("payments", "billing", IndexedKeyState.Active, ["recordings:read"]);
        var token = _kit.TokenIssuer.Issue(new AccessTokenSubject(client.ClientId!, new ApiKeyReference("payments", "billing"), client.KeyId), ["recordings:read"], ProviderKit.Now.UtcDateTime, 3600)!.Token;

        using var before = await SendAsync(Route, bearer: token);
        _kit.Index.Replace("payments", "billing", [_kit.Index.FindByKeyId(client.KeyId).Single() with { State = IndexedKeyState.Revoked }]);
        using var after = await SendAsync(Route, bearer: token);

        Assert.Equal((HttpStatusCode.OK, "token"), (before.StatusCode, Header(before, ForwardAuthHeaders.Credential)));
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal(1d, _kit.Metrics.Decisions(ForwardAuthReason.Revoked));
    }

    [Fact]
    public async Task Refusals_carry_WWW_Authenticate_and_never_a_body_echoing_the_key()
    {
        var live = _kit.Issue("payments", "live", IndexedKeyState.Active, ["recordings:read"], CredentialFormat.Token);
        var revoked = _kit.Issue("payments", "revoked", IndexedKeyState.Revoked, ["recordings:read"], CredentialFormat.Token);
        var expired = _kit.Issue("payments", "expired", IndexedKeyState.Expired, ["recordings:read"], CredentialFormat.Token);
        var narrow = _kit.Issue("payments", "narrow", IndexedKeyState.Active, ["recordings:list"], CredentialFormat.Token);
        var malformed = live.ApiKey![..^1] + (live.ApiKey[^1] == 'a' ? 'b' : 'a');

        var cases = new (string? Key, HttpStatusCode Status, string Challenge, ForwardAuthReason Reason)[]
        {
            (revoked.ApiKey, HttpStatusCode.Unauthorized, "Bearer realm=\"apikey-operator\", error=\"invalid_token\"", ForwardAuthReason.Revoked),
            (expired.ApiKey, HttpStatusCode.Unauthorized, "Bearer realm=\"apikey-operator\", error=\"invalid_token\"", ForwardAuthReason.Expired),
            (malformed, HttpStatusCode.Unauthorized, "Bearer realm=\"apikey-operator\", error=\"invalid_token\"", ForwardAuthReason.Malformed),
            (narrow.ApiKey, HttpStatusCode.Forbidden, "Bearer realm=\"apikey-operator\", error=\"insufficient_scope\", scope=\"recordings:read\"", ForwardAuthReason.MissingScopes),
            (null, HttpStatusCode.Unauthorized, "Bearer realm=\"apikey-operator\"", ForwardAuthReason.Missing),
        };
        foreach (var (key, status, challenge, reason) in cases)
        {
            using var response = await SendAsync(Route, bearer: key);
            Assert.Equal(status, response.StatusCode);
            Assert.Equal(challenge, response.Headers.WwwAuthenticate.ToString());
            Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
            Assert.Empty(await response.Content.ReadAsByteArrayAsync(_ct));
            Assert.False(response.Headers.Contains(ForwardAuthHeaders.Namespace));
            Assert.Equal(1d, _kit.Metrics.Decisions(reason));
        }

        Assert.All(_kit.Logs.Lines, line => Assert.DoesNotContain(revoked.ApiKey!, line));
        Assert.All(_kit.Logs.Lines, line => Assert.DoesNotContain(narrow.ApiKey!, line));
    }

    [Fact]
    public async Task Another_tenants_live_key_is_answered_exactly_like_an_unknown_key_and_its_use_not_recorded()
    {
        var foreign = _kit.Issue("other-tenant", "billing", IndexedKeyState.Active, ["recordings:read"], CredentialFormat.Token);
        var unknown = _kit.Generator.Generate(CredentialFormat.Token, "ak_");

        using var foreignAnswer = await SendAsync(Route, bearer: foreign.ApiKey);
        using var unknownAnswer = await SendAsync(Route, bearer: unknown.ApiKey);

        Assert.Equal(HttpStatusCode.Unauthorized, foreignAnswer.StatusCode);
        Assert.Equal(Describe(unknownAnswer), Describe(foreignAnswer));
        Assert.Empty(_kit.Usage.Uses);
        Assert.Equal(1d, _kit.Metrics.Decisions(ForwardAuthReason.WrongNamespace));
    }

    [Fact]
    public async Task Invalid_route_is_400_without_looking_at_the_credential()
    {
        var key = _kit.Issue("payments", "billing", IndexedKeyState.Active, [], CredentialFormat.Token);

        using var response = await SendAsync("/forward-auth?scopes=a", bearer: key.ApiKey);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync(_ct);
        Assert.Contains("namespaces", text);
        Assert.DoesNotContain(key.ApiKey!, text);
        Assert.Empty(_kit.Usage.Uses);
    }

    [Fact]
    public async Task Repeated_credential_headers_are_malformed()
    {
        var key = _kit.Issue("payments", "billing", IndexedKeyState.Active, ["recordings:read"], CredentialFormat.Token);

        using var response = await SendAsync(Route + "&header=X-Api-Key", headers: [("X-Api-Key", key.ApiKey!), ("X-Api-Key", key.ApiKey!)]);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(1d, _kit.Metrics.Decisions(ForwardAuthReason.Malformed));
    }

    [Fact]
    public async Task Every_decision_series_exists_at_zero_from_the_start()
    {
        var metrics = await _kit.ExportedMetricsAsync();

        foreach (var reason in Enum.GetValues<ForwardAuthReason>())
        {
            Assert.Contains($"apikey_forward_auth_decisions_total{{reason=\"{reason}\"}} 0", metrics);
        }
    }

    private async Task<HttpResponseMessage> SendAsync(
        string target, HttpMethod? method = null, string? bearer = null, AuthenticationHeaderValue? authorization = null, (string Name, string Value)[]? headers = null)
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Get, target);
        request.Headers.Authorization = authorization ?? (bearer is null ? null : new AuthenticationHeaderValue("Bearer", bearer));
        foreach (var (name, value) in headers ?? [])
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await _client.SendAsync(request, _ct);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    private static string Describe(HttpResponseMessage response) =>
        JsonSerializer.Serialize(new
        {
            Status = (int)response.StatusCode,
            Headers = response.Headers.Where(h => h.Key != "Date").OrderBy(h => h.Key).Select(h => $"{h.Key}: {string.Join(",", h.Value)}"),
            Body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult(),
        });
}
