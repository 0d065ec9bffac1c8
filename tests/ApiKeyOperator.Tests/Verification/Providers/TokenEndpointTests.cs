using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ApiKeyOperator.Keys;
using ApiKeyOperator.Verification;
using ApiKeyOperator.Verification.Signing;
using ApiKeyOperator.Verification.Tokens;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Xunit;

namespace ApiKeyOperator.Tests.Verification.Providers;

public sealed class TokenEndpointTests : IAsyncLifetime
{
    private readonly ProviderKit _kit = new();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private HttpClient _client = null!;

    public async ValueTask InitializeAsync() => _client = await _kit.StartAsync();

    public ValueTask DisposeAsync() => _kit.DisposeAsync();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Client_credentials_get_an_RFC_9068_token_that_a_standard_library_verifies(bool basic)
    {
        var client = _kit.Issue("payments", "billing", IndexedKeyState.Active, ["recordings:read", "recordings:write"]);

        using var response = await TokenAsync(client, basic ? null : "recordings:read", basic);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(_ct));
        var root = body.RootElement;
        Assert.Equal("Bearer", root.GetProperty("token_type").GetString());
        Assert.Equal(3600, root.GetProperty("expires_in").GetInt32());
        var scope = basic ? "recordings:read recordings:write" : "recordings:read";
        Assert.Equal(scope, root.GetProperty("scope").GetString());

        var token = root.GetProperty("access_token").GetString()!;
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = ProviderKit.Issuer,
            ValidAudience = "https://billing.example",
            IssuerSigningKeys = new JsonWebKeySet(Encoding.UTF8.GetString(_kit.Ring.JwksDocument.Span)).GetSigningKeys(),
            ValidTypes = ["at+jwt"],
            ValidateLifetime = false,
        });
        Assert.True(result.IsValid, result.Exception?.Message);
        var jwt = (JsonWebToken)result.SecurityToken;
        Assert.Equal(("ES256", "at+jwt", _kit.Ring.Keys.Single().Kid), (jwt.Alg, jwt.Typ, jwt.Kid));
        Assert.Equal(client.ClientId, jwt.Subject);
        Assert.Equal(client.ClientId, jwt.GetClaim("client_id").Value);
        Assert.Equal(scope, jwt.GetClaim("scope").Value);
        Assert.Equal(("payments", "billing", client.KeyId), (jwt.GetClaim("namespace").Value, jwt.GetClaim("apikey").Value, jwt.GetClaim("key_id").Value));
        Assert.Equal(ProviderKit.Now.UtcDateTime, jwt.IssuedAt);
        Assert.Equal(ProviderKit.Now.UtcDateTime.AddHours(1), jwt.ValidTo);
        Assert.Matches("^[0-9a-f]{32}$", jwt.Id);
        Assert.DoesNotContain(client.ClientSecret!, token);
        Assert.DoesNotContain(client.ClientSecret!, Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(jwt.EncodedPayload)));
    }

    [Fact]
    public async Task Issuance_is_audited_with_jti_and_scopes_and_counts_as_use_but_never_records_the_token()
    {
        var client = _kit.Issue("payments", "billing", IndexedKeyState.Active, ["recordings:read"]);

        using var response = await TokenAsync(client);
        var token = await AccessTokenAsync(response);

        var row = Assert.Single(await _kit.AuditRowsAsync(1));
        var jti = new JsonWebToken(token).Id;
        Assert.Equal(("TokenIssued", "payments", "billing", client.KeyId), (row.Kind, row.Namespace, row.ApiKey, row.KeyId));
        Assert.Equal(["recordings:read"], row.Scopes);
        Assert.Contains($"jti={jti}", row.Message);
        Assert.Equal($"TokenIssued/{jti}", row.IdempotencyKey);
        var text = JsonSerializer.Serialize(row);
        Assert.DoesNotContain(token, text);
        Assert.DoesNotContain(client.ClientSecret!, text);
        Assert.Contains(_kit.Usage.Uses, u => u == ("payments", "billing", client.KeyId, ProviderKit.Now.UtcDateTime));
        var metrics = await _kit.ExportedMetricsAsync();
        Assert.Contains("apikey_tokens_issued_total 1", metrics);
        Assert.DoesNotContain(token, metrics);
        Assert.All(_kit.Logs.Lines, line => Assert.DoesNotContain(client.ClientSecret!, line));
        Assert.All(_kit.Logs.Lines, line => Assert.DoesNotContain(token, line));
    }

    [Fact]
    public async Task Retiring_key_gets_tokens_that_end_at_its_revocation_time()
    {
        var revokeAt = ProviderKit.Now.UtcDateTime.AddMinutes(10);
        var client = _kit.Issue("payments", "billing", IndexedKeyState.Retiring, [], revokeAt: revokeAt);

        using var response = await TokenAsync(client);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(_ct));
        Assert.Equal(600, body.RootElement.GetProperty("expires_in").GetInt32());
        Assert.Equal(revokeAt, new JsonWebToken(body.RootElement.GetProperty("access_token").GetString()).ValidTo);
    }

    [Theory]
    [InlineData(null, 3600)]
    [InlineData(300, 300)]
    [InlineData(86_400, 86_400)]
    [InlineData(10, 60)]
    [InlineData(1_000_000, 86_400)]
    public async Task ApiKey_token_lifetime_is_used_within_the_documented_bounds(int? lifetimeSeconds, int expected)
    {
        var client = _kit.Issue("payments", "billing", IndexedKeyState.Active, [], expiresAt: ProviderKit.Now.UtcDateTime.AddDays(365));
        _kit.SetApiKey("payments", "billing", lifetimeSeconds);

        using var response = await TokenAsync(client);

        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(_ct));
        Assert.Equal(expected, body.RootElement.GetProperty("expires_in").GetInt32());
    }

    [Theory]
    [InlineData(IndexedKeyState.Revoked)]
    [InlineData(IndexedKeyState.Expired)]
    public async Task Revoked_and_expired_keys_get_invalid_client(IndexedKeyState state)
    {
        var client = _kit.Issue("payments", "billing", state, []);

        using var response = await TokenAsync(client);

        await AssertErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
        Assert.Equal("Basic", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Empty(_kit.Ledger.Entries);
    }

    [Fact]
    public async Task Active_key_past_its_expiry_instant_gets_invalid_client()
    {
        var client = _kit.Issue("payments", "billing", IndexedKeyState.Active, [], expiresAt: ProviderKit.Now.UtcDateTime.AddMinutes(1));
        _kit.Time.Advance(TimeSpan.FromMinutes(1));

        using var response = await TokenAsync(client);

        await AssertErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Fact]
    public async Task Wrong_secret_unknown_client_and_token_format_key_all_get_the_same_answer()
    {
        var client = _kit.Issue("payments", "billing", IndexedKeyState.Active, []);
        var other = _kit.Generator.Generate(CredentialFormat.ClientCredentials, "ak_");
        var tokenKey = _kit.Issue("payments", "token-key", IndexedKeyState.Active, [], CredentialFormat.Token);

        var answers = new List<string>();
        foreach (var (id, secret) in new[]
                 {
                     (client.ClientId!, other.ClientSecret!),
                     (other.ClientId!, other.ClientSecret!),
                     ("ak_" + tokenKey.KeyId, tokenKey.ApiKey!),
                     ("ak_" + tokenKey.KeyId, tokenKey.ApiKey![^TokenFormat.ClientSecretLength..]),
                 })
        {
            using var response = await PostAsync(Form(("grant_type", "client_credentials")), Basic(id, secret));
            answers.Add(await AssertErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client"));
        }

        Assert.Single(answers.Distinct());
    }

    [Fact]
    public async Task Asking_for_a_scope_the_key_lacks_is_invalid_scope()
    {
        var client = _kit.Issue("payments", "billing", IndexedKeyState.Active, ["recordings:read"]);

        using var response = await TokenAsync(client, "recordings:read recordings:delete");

        var text = await AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_scope");
        Assert.Contains("recordings:delete", text);
        Assert.Empty(_kit.Ledger.Entries);
    }

    [Theory]
    [InlineData("password", "unsupported_grant_type")]
    [InlineData("authorization_code", "unsupported_grant_type")]
    public async Task Other_grant_types_are_unsupported(string grantType, string error)
    {
        var client = _kit.Issue("payments", "billing", IndexedKeyState.Active, []);

        using var response = await PostAsync(Form(("grant_type", grantType)), Basic(client.ClientId!, client.ClientSecret!));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, error);
    }

    public static TheoryData<string, string?, string, int, string> BadRequests => new()
    {
        { "client_id=x&client_secret=y", null, "application/x-www-form-urlencoded", 400, "invalid_request" },
        { "grant_type=client_credentials&grant_type=client_credentials", "basic", "application/x-www-form-urlencoded", 400, "invalid_request" },
        { "grant_type=client_credentials&client_secret=SECRET", "basic", "application/x-www-form-urlencoded", 400, "invalid_request" },
        { "grant_type=client_credentials", "basic", "application/json", 400, "invalid_request" },
        { "grant_type=client_credentials", null, "application/x-www-form-urlencoded", 401, "invalid_client" },
        { "grant_type=client_credentials", "Bearer abc", "application/x-www-form-urlencoded", 401, "invalid_client" },
        { "grant_type=client_credentials", "Basic !!!notbase64", "application/x-www-form-urlencoded", 401, "invalid_client" },
        { "grant_type=client_credentials&scope=%22quoted%22", "basic", "application/x-www-form-urlencoded", 400, "invalid_scope" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Malformed_requests_get_RFC_6749_errors(string form, string? authorization, string contentType, int status, string error)
    {
        var client = _kit.Issue("payments", "billing", IndexedKeyState.Active, []);
        using var content = new StringContent(form.Replace("SECRET", client.ClientSecret, StringComparison.Ordinal), Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        var header = authorization == "basic" ? Basic(client.ClientId!, client.ClientSecret!) : authorization is null ? null : AuthenticationHeaderValue.Parse(authorization);

        using var response = await PostAsync(content, header);

        var text = await AssertErrorAsync(response, (HttpStatusCode)status, error);
        Assert.DoesNotContain(client.ClientSecret!, text);
        if (status == 401)
        {
            Assert.Equal("Basic", response.Headers.WwwAuthenticate.Single().Scheme);
        }
    }

    [Fact]
    public async Task Only_POST_is_accepted()
    {
        using var response = await _client.GetAsync(TokenEndpoint.Path, _ct);

        await AssertErrorAsync(response, HttpStatusCode.MethodNotAllowed, "invalid_request");
        Assert.Equal(["POST"], response.Content.Headers.Allow);
    }

    [Fact]
    public async Task Oversized_body_is_refused_unread_even_when_chunked()
    {
        var client = _kit.Issue("payments", "billing", IndexedKeyState.Active, []);
        var padding = new string('a', TokenOptions.MaxFormBytes);
        using var content = new UnknownLengthContent(Encoding.UTF8.GetBytes($"grant_type=client_credentials&pad={padding}"), "application/x-www-form-urlencoded");

        using var response = await PostAsync(content, Basic(client.ClientId!, client.ClientSecret!));

        await AssertErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "invalid_request");
    }

    [Fact]
    public async Task Flood_of_bad_secrets_for_one_client_is_slowed_and_then_even_the_right_secret_gets_no_answer_about_itself()
    {
        var client = _kit.Issue("payments", "billing", IndexedKeyState.Active, []);
        var bystander = _kit.Issue("payments", "other", IndexedKeyState.Active, []);
        var wrong = _kit.Generator.Generate(CredentialFormat.ClientCredentials, "ak_").ClientSecret!;

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < _kit.Options.FailureBurst + 5; i++)
        {
            using var response = await PostAsync(Form(("grant_type", "client_credentials")), Basic(client.ClientId!, wrong));
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Unauthorized, _kit.Options.FailureBurst), statuses.Take(_kit.Options.FailureBurst));
        Assert.All(statuses.Skip(_kit.Options.FailureBurst), s => Assert.Equal(HttpStatusCode.TooManyRequests, s));
        using (var right = await TokenAsync(client))
        {
            await AssertErrorAsync(right, HttpStatusCode.TooManyRequests, "temporarily_unavailable");
            Assert.Equal(TimeSpan.FromSeconds(1), right.Headers.RetryAfter?.Delta);
        }

        using (var other = await TokenAsync(bystander))
        {
            Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        }

        _kit.Time.Advance(_kit.Options.FailureRefill);
        using (var later = await TokenAsync(client))
        {
            Assert.Equal(HttpStatusCode.OK, later.StatusCode);
        }

        var metrics = await _kit.ExportedMetricsAsync();
        Assert.Contains($"apikey_token_request_failures_total{{error=\"invalid_client\"}} {_kit.Options.FailureBurst}", metrics);
        Assert.Contains("apikey_token_request_failures_total{error=\"rate_limited\"} 6", metrics);
    }

    [Fact]
    public async Task Successful_requests_never_use_up_the_failure_budget()
    {
        var client = _kit.Issue("payments", "billing", IndexedKeyState.Active, []);

        for (var i = 0; i < _kit.Options.FailureBurst * 2; i++)
        {
            using var response = await TokenAsync(client);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task Every_failure_series_exists_at_zero_from_the_start()
    {
        var metrics = await _kit.ExportedMetricsAsync();

        foreach (var error in TokenError.AllCodes)
        {
            Assert.Contains($"apikey_token_request_failures_total{{error=\"{error}\"}} 0", metrics);
        }

        Assert.Contains("apikey_tokens_issued_total 0", metrics);
    }

    [Fact]
    public async Task Key_that_started_signing_within_the_current_second_signs_although_iat_is_earlier()
    {
        var client = _kit.Issue("payments", "billing", IndexedKeyState.Active, []);
        var fresh = SigningKeyGenerator.Generate(ProviderKit.Now.UtcDateTime, ProviderKit.Now.UtcDateTime.AddMilliseconds(500));
        _kit.Ring.Update([fresh]);
        _kit.Time.Advance(TimeSpan.FromMilliseconds(700));

        using var response = await TokenAsync(client);

        var jwt = new JsonWebToken(await AccessTokenAsync(response));
        Assert.Equal((fresh.Kid, ProviderKit.Now.UtcDateTime), (jwt.Kid, jwt.IssuedAt));
    }

    [Fact]
    public async Task No_signing_key_yet_means_503_and_no_token()
    {
        var client = _kit.Issue("payments", "billing", IndexedKeyState.Active, []);
        _kit.Ring.Update([]);

        using var response = await TokenAsync(client);

        await AssertErrorAsync(response, HttpStatusCode.ServiceUnavailable, "temporarily_unavailable");
    }

    [Fact]
    public async Task Tokens_off_for_want_of_a_namespace_is_503_naming_the_flag()
    {
        await using var kit = new ProviderKit(signingConfigured: false);
        var client = kit.Issue("payments", "billing", IndexedKeyState.Active, []);
        var http = await kit.StartAsync();

        using var response = await http.PostAsync(
            TokenEndpoint.Path, Form(("grant_type", "client_credentials"), ("client_id", client.ClientId!), ("client_secret", client.ClientSecret!)), _ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("--token-signing-namespace", await response.Content.ReadAsStringAsync(_ct));
    }

    [Fact]
    public async Task Unsynced_index_means_503_rather_than_invalid_client()
    {
        await using var kit = new ProviderKit(synced: false);
        var client = kit.Issue("payments", "billing", IndexedKeyState.Active, []);
        var http = await kit.StartAsync();

        using var response = await http.PostAsync(
            TokenEndpoint.Path, Form(("grant_type", "client_credentials"), ("client_id", client.ClientId!), ("client_secret", client.ClientSecret!)), _ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("temporarily_unavailable", await response.Content.ReadAsStringAsync(_ct));
    }

    private Task<HttpResponseMessage> TokenAsync(ApiKeyOperator.Keys.IssuedCredential client, string? scope = null, bool basic = true)
    {
        var fields = new List<(string, string)> { ("grant_type", "client_credentials") };
        if (scope is not null)
        {
            fields.Add(("scope", scope));
        }

        if (!basic)
        {
            fields.Add(("client_id", client.ClientId!));
            fields.Add(("client_secret", client.ClientSecret!));
        }

        return PostAsync(Form([.. fields]), basic ? Basic(client.ClientId!, client.ClientSecret!) : null);
    }

    private async Task<HttpResponseMessage> PostAsync(HttpContent content, AuthenticationHeaderValue? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, TokenEndpoint.Path) { Content = content };
        request.Headers.Authorization = authorization;
        return await _client.SendAsync(request, _ct);
    }

    private async Task<string> AccessTokenAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(_ct));
        return body.RootElement.GetProperty("access_token").GetString()!;
    }

    private async Task<string> AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string error)
    {
        var text = await response.Content.ReadAsStringAsync(_ct);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        using var body = JsonDocument.Parse(text);
        Assert.Equal(error, body.RootElement.GetProperty("error").GetString());
        Assert.False(string.IsNullOrEmpty(body.RootElement.GetProperty("error_description").GetString()));
        return text;
    }

    private static FormUrlEncodedContent Form(params (string Name, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));

    private static AuthenticationHeaderValue Basic(string id, string secret) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(id)}:{Uri.EscapeDataString(secret)}")));
}
