using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using ApiKeyOperator.Keys;
using ApiKeyOperator.Security;
using ApiKeyOperator.Tests.Security;
using ApiKeyOperator.Verification;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Prometheus;
using Xunit;

namespace ApiKeyOperator.Tests.Verification;

public sealed class ReviewServerTests : IAsyncLifetime
{
    private const string Path = "/apis/apikeyoperator.io/v1alpha1/apikeyreviews";
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private readonly KeyGenerator _generator = new();
    private readonly KeyIndex _index = new();
    private readonly FakeTimeProvider _time = new(Now);
    private readonly FakeRequestAuthorizer _authorizer = new();
    private readonly RecordingUsageSink _usage = new();
    private readonly CapturingLoggerProvider _logs = new();
    private readonly CollectorRegistry _registry = Metrics.NewCustomRegistry();
    private readonly TokenReviewBudget _budget;
    private readonly List<IAsyncDisposable> _disposables = [];
    private readonly List<HttpClient> _clients = [];
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly Lazy<DirectoryInfo> _tlsDirectory = new(() => Directory.CreateTempSubdirectory("review-tls-"));

    public ReviewServerTests()
    {
        _budget = new TokenReviewBudget(_time, 5, 10);
    }

    public ValueTask InitializeAsync()
    {
        _index.MarkSynced();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        foreach (var disposable in _disposables)
        {
            await disposable.DisposeAsync();
        }

        if (_tlsDirectory.IsValueCreated)
        {
            _tlsDirectory.Value.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Valid_key_is_verified_and_neither_response_nor_logs_contain_it()
    {
        var key = Issue("payments", "billing", IndexedKeyState.Active, ["recordings:read"]);
        var client = await StartAsync(ReviewAuthMode.None);

        var response = await PostAsync(client, Review(key.ApiKey!, "recordings:read"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync(_ct);
        Assert.DoesNotContain(key.ApiKey!, text);
        using var body = JsonDocument.Parse(text);
        var root = body.RootElement;
        Assert.Equal("apikeyoperator.io/v1alpha1", root.GetProperty("apiVersion").GetString());
        Assert.Equal("ApiKeyReview", root.GetProperty("kind").GetString());
        Assert.False(root.GetProperty("spec").TryGetProperty("key", out _));
        Assert.Equal("recordings:read", root.GetProperty("spec").GetProperty("requiredScopes")[0].GetString());
        var status = root.GetProperty("status");
        Assert.True(status.GetProperty("authenticated").GetBoolean());
        Assert.True(status.GetProperty("allowed").GetBoolean());
        Assert.Equal("Valid", status.GetProperty("reason").GetString());
        Assert.Equal(key.KeyId, status.GetProperty("keyId").GetString());
        Assert.Equal("payments", status.GetProperty("apiKey").GetProperty("namespace").GetString());
        Assert.Equal("billing", status.GetProperty("apiKey").GetProperty("name").GetString());
        Assert.Equal("2026-12-23T12:00:00Z", status.GetProperty("expiresAt").GetString());
        Assert.Equal(("payments", "billing", key.KeyId, Now.UtcDateTime), Assert.Single(_usage.Uses));
        Assert.Contains(_logs.Lines, l => l.Contains("--review-auth=none", StringComparison.Ordinal));
        AssertNoLogContains(key.ApiKey!);
    }

    [Fact]
    public async Task Until_the_index_has_synced_reviews_are_503_not_Unknown()
    {
        var key = _generator.Generate(CredentialFormat.Token, "ak_");
        var loading = new KeyIndex();
        var server = await StartServerAsync(new ReviewOptions { Endpoint = new IPEndPoint(IPAddress.Loopback, 0), Auth = ReviewAuthMode.None, InsecureHttp = true }, loading);
        var client = new HttpClient { BaseAddress = server.Addresses[0] };
        _clients.Add(client);

        await AssertStatusAsync(await PostAsync(client, Review(key.ApiKey!)), 503, "ServiceUnavailable", key.ApiKey!);

        loading.Replace("payments", "billing", [Indexed("payments", "billing", key, IndexedKeyState.Active, [])]);
        loading.MarkSynced();
        Assert.Equal("Valid", (await ReviewStatusAsync(client, Review(key.ApiKey!))).GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Client_credentials_answer_echoes_the_client_id_but_not_the_secret()
    {
        var credential = _generator.Generate(CredentialFormat.ClientCredentials, "svc_");
        _index.Replace("payments", "billing", [Indexed("payments", "billing", credential, IndexedKeyState.Retiring, [])]);
        var client = await StartAsync(ReviewAuthMode.None);

        var response = await PostAsync(client, JsonSerializer.Serialize(new
        {
            apiVersion = "apikeyoperator.io/v1alpha1",
            kind = "ApiKeyReview",
            spec = new { clientId = credential.ClientId, clientSecret = credential.ClientSecret },
        }));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync(_ct);
        Assert.DoesNotContain(credential.ClientSecret!, text);
        using var body = JsonDocument.Parse(text);
        Assert.Equal(credential.ClientId, body.RootElement.GetProperty("spec").GetProperty("clientId").GetString());
        Assert.Equal("Valid", body.RootElement.GetProperty("status").GetProperty("reason").GetString());
        AssertNoLogContains(credential.ClientSecret!);
    }

    [Theory]
    [InlineData(IndexedKeyState.Revoked, "Revoked")]
    [InlineData(IndexedKeyState.Expired, "Expired")]
    public async Task Dead_keys_are_answered_unauthenticated_and_not_recorded_as_used(IndexedKeyState state, string reason)
    {
        var key = Issue("payments", "billing", state, []);
        var client = await StartAsync(ReviewAuthMode.None);

        var status = await ReviewStatusAsync(client, Review(key.ApiKey!));

        Assert.Equal(reason, status.GetProperty("reason").GetString());
        Assert.False(status.GetProperty("authenticated").GetBoolean());
        Assert.False(status.GetProperty("allowed").GetBoolean());
        Assert.Empty(_usage.Uses);
    }

    [Fact]
    public async Task Missing_scopes_are_listed()
    {
        var key = Issue("payments", "billing", IndexedKeyState.Active, ["a"]);
        var client = await StartAsync(ReviewAuthMode.None);

        var status = await ReviewStatusAsync(client, Review(key.ApiKey!, "a", "b"));

        Assert.Equal("MissingScopes", status.GetProperty("reason").GetString());
        Assert.True(status.GetProperty("authenticated").GetBoolean());
        Assert.False(status.GetProperty("allowed").GetBoolean());
        Assert.Equal("b", Assert.Single(status.GetProperty("missingScopes").EnumerateArray()).GetString());
    }

    [Fact]
    public async Task Body_over_64_KiB_is_413_with_or_without_content_length()
    {
        var key = Issue("payments", "billing", IndexedKeyState.Active, []);
        var client = await StartAsync(ReviewAuthMode.None);
        var padded = Review(key.ApiKey!, new string('s', ReviewOptions.MaxBodyBytes));

        await AssertStatusAsync(await PostAsync(client, padded), 413, "RequestEntityTooLarge", key.ApiKey!);
        var chunked = await client.PostAsync(Path, new UnknownLengthContent(Encoding.UTF8.GetBytes(padded), "application/json"), _ct);
        await AssertStatusAsync(chunked, 413, "RequestEntityTooLarge", key.ApiKey!);
    }

    // The body buffer is sized to Content-Length, or starts small and doubles for a chunked body: both ends of
    // that range (a tiny body, exactly the cap) verify the key, announced or not.
    [Theory]
    [InlineData(true, 0)]
    [InlineData(false, 0)]
    [InlineData(true, ReviewOptions.MaxBodyBytes)]
    [InlineData(false, ReviewOptions.MaxBodyBytes)]
    public async Task Bodies_up_to_exactly_64_KiB_are_verified_with_or_without_content_length(bool chunked, int size)
    {
        var key = Issue("payments", "billing", IndexedKeyState.Active, []);
        var client = await StartAsync(ReviewAuthMode.None);
        var review = Review(key.ApiKey!);
        var body = Encoding.UTF8.GetBytes(review + new string(' ', Math.Max(0, size - Encoding.UTF8.GetByteCount(review))));
        HttpContent content = chunked ? new UnknownLengthContent(body, "application/json") : new ByteArrayContent(body);
        content.Headers.ContentType ??= new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        var response = await client.PostAsync(Path, content, _ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Contains("\"reason\":\"Valid\"", await response.Content.ReadAsStringAsync(_ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_json_is_400_without_quoting_the_body()
    {
        var key = Issue("payments", "billing", IndexedKeyState.Active, []);
        var client = await StartAsync(ReviewAuthMode.None);

        // Unquoted and truncated: the parser stops right at the key.
        var response = await PostAsync(client, "{\"apiVersion\":\"apikeyoperator.io/v1alpha1\",\"kind\":\"ApiKeyReview\",\"spec\":{\"key\":" + key.ApiKey);

        await AssertStatusAsync(response, 400, "BadRequest", key.ApiKey!);
        AssertNoLogContains(key.ApiKey!);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/yaml")]
    public async Task Other_content_types_are_415(string mediaType)
    {
        var key = Issue("payments", "billing", IndexedKeyState.Active, []);
        var client = await StartAsync(ReviewAuthMode.None);

        var response = await client.PostAsync(Path, new StringContent(Review(key.ApiKey!), Encoding.UTF8, mediaType), _ct);

        await AssertStatusAsync(response, 415, "UnsupportedMediaType", key.ApiKey!);
    }

    [Fact]
    public async Task Missing_content_type_is_415_and_charset_parameter_is_accepted()
    {
        var key = Issue("payments", "billing", IndexedKeyState.Active, []);
        var client = await StartAsync(ReviewAuthMode.None);
        var untyped = new ByteArrayContent(Encoding.UTF8.GetBytes(Review(key.ApiKey!)));

        await AssertStatusAsync(await client.PostAsync(Path, untyped, _ct), 415, "UnsupportedMediaType", key.ApiKey!);
        var withCharset = new StringContent(Review(key.ApiKey!), Encoding.UTF8, "application/json");
        Assert.Equal("utf-8", withCharset.Headers.ContentType!.CharSet);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync(Path, withCharset, _ct)).StatusCode);
    }

    [Theory]
    [InlineData("v1", "ApiKeyReview")]
    [InlineData("apikeyoperator.io/v1alpha1", "TokenReview")]
    [InlineData(null, null)]
    public async Task Wrong_apiVersion_or_kind_is_400(string? apiVersion, string? kind)
    {
        var key = Issue("payments", "billing", IndexedKeyState.Active, []);
        var client = await StartAsync(ReviewAuthMode.None);

        var response = await PostAsync(client, JsonSerializer.Serialize(new { apiVersion, kind, spec = new { key = key.ApiKey } }));

        await AssertStatusAsync(response, 400, "BadRequest", key.ApiKey!);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("{\"apiVersion\":\"apikeyoperator.io/v1alpha1\",\"kind\":\"ApiKeyReview\"}")]
    [InlineData("{\"apiVersion\":\"apikeyoperator.io/v1alpha1\",\"kind\":\"ApiKeyReview\",\"spec\":{\"key\":42}}")]
    public async Task Bodies_that_are_not_a_review_with_a_spec_are_400(string body)
    {
        var client = await StartAsync(ReviewAuthMode.None);

        await AssertStatusAsync(await PostAsync(client, body), 400, "BadRequest", "\"never\"");
    }

    [Fact]
    public async Task Other_methods_and_paths_are_refused_as_Status()
    {
        var client = await StartAsync(ReviewAuthMode.None);

        await AssertStatusAsync(await client.GetAsync(Path, _ct), 405, "MethodNotAllowed", "\"never\"");
        await AssertStatusAsync(await client.PostAsync("/apis/apikeyoperator.io/v1alpha1/apikeys", Json("{}"), _ct), 404, "NotFound", "\"never\"");
    }

    [Fact]
    public async Task Kubernetes_mode_answers_401_without_a_valid_bearer_token_before_reading_the_body()
    {
        var key = Issue("payments", "billing", IndexedKeyState.Active, []);
        var client = await StartAsync(ReviewAuthMode.Kubernetes);

        await AssertStatusAsync(await PostAsync(client, Review(key.ApiKey!)), 401, "Unauthorized", key.ApiKey!);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-known-token");
        // Even a body the server would refuse is never looked at for an unknown caller.
        await AssertStatusAsync(await PostAsync(client, "{"), 401, "Unauthorized", key.ApiKey!);
        Assert.Empty(_usage.Uses);
    }

    [Fact]
    public async Task Caller_authorised_in_its_own_namespace_gets_the_verdict_and_checks_are_cached()
    {
        var key = Issue("payments", "billing", IndexedKeyState.Active, []);
        _authorizer.AddUser("payments-token", "system:serviceaccount:payments:gateway", "payments");
        var client = await StartAsync(ReviewAuthMode.Kubernetes, "payments-token");

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("Valid", (await ReviewStatusAsync(client, Review(key.ApiKey!))).GetProperty("reason").GetString());
        }

        Assert.Equal(1, _authorizer.TokenReviews);
        Assert.Equal(1, _authorizer.AccessReviews);
        _time.Advance(new AuthCacheOptions().AllowTtl);
        await ReviewStatusAsync(client, Review(key.ApiKey!));
        Assert.Equal(2, _authorizer.TokenReviews);
        Assert.Equal(2, _authorizer.AccessReviews);
        AssertNoLogContains("payments-token");
    }

    /// <summary>
    /// No oracle: to a caller who may not review the key's namespace, a real key (live or revoked) gets exactly what
    /// a made-up key in the same grammar gets — status code, body byte for byte, one access check each — and its
    /// use is not recorded.
    /// </summary>
    [Theory]
    [InlineData(IndexedKeyState.Active)]
    [InlineData(IndexedKeyState.Revoked)]
    public async Task Key_of_another_namespace_gets_the_answer_a_made_up_key_gets(IndexedKeyState state)
    {
        var key = Issue("payments", "billing", state, ["invoices:read"]);
        var madeUp = _generator.Generate(CredentialFormat.Token, "ak_");
        _authorizer.AddUser("search-token", "system:serviceaccount:search:api", "search");
        var client = await StartAsync(ReviewAuthMode.Kubernetes, "search-token");

        var real = await PostAsync(client, Review(key.ApiKey!, "invoices:read"));
        var realBody = await real.Content.ReadAsStringAsync(_ct);
        var checksForReal = _authorizer.AccessReviews;
        // Past the denial's cache time, so that the made-up key's check is not answered from the real key's.
        _time.Advance(new AuthCacheOptions().DenyTtl);
        var fake = await PostAsync(client, Review(madeUp.ApiKey!, "invoices:read"));
        var fakeBody = await fake.Content.ReadAsStringAsync(_ct);

        Assert.Equal(HttpStatusCode.Created, real.StatusCode);
        Assert.Equal(fake.StatusCode, real.StatusCode);
        Assert.Equal(fakeBody, realBody);
        Assert.Contains("\"reason\":\"Unknown\"", realBody, StringComparison.Ordinal);
        Assert.DoesNotContain("payments", realBody, StringComparison.Ordinal);
        Assert.DoesNotContain(key.KeyId, realBody, StringComparison.Ordinal);
        Assert.Equal(1, checksForReal);
        Assert.Equal(2, _authorizer.AccessReviews);
        // The made-up key was checked against a namespace that holds keys, just as the real one was.
        Assert.All(_authorizer.AccessRequests, r => Assert.Equal("payments", r.Namespace));
        Assert.Empty(_usage.Uses);
        Assert.Contains(_logs.Lines, l => l.Contains("may not review keys of namespace payments", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_made_up_key_always_costs_a_check_against_the_same_namespace_that_holds_keys()
    {
        Issue("payments", "billing", IndexedKeyState.Active, []);
        Issue("search", "indexer", IndexedKeyState.Active, []);
        Issue("shop", "cart", IndexedKeyState.Active, []);
        _authorizer.AddUser("search-token", "system:serviceaccount:search:api", "search");
        var client = await StartAsync(ReviewAuthMode.Kubernetes, "search-token");
        var madeUp = Enumerable.Range(0, 12).Select(_ => _generator.Generate(CredentialFormat.Token, "ak_").ApiKey!).ToList();

        foreach (var key in madeUp.Concat(madeUp))
        {
            Assert.Equal("Unknown", (await ReviewStatusAsync(client, Review(key))).GetProperty("reason").GetString());
            _time.Advance(new AuthCacheOptions().AllowTtl);
        }

        var checkedNamespaces = _authorizer.AccessRequests.Select(r => r.Namespace).ToList();
        Assert.Equal(24, checkedNamespaces.Count);
        Assert.Equal(checkedNamespaces[..12], checkedNamespaces[12..]);
        Assert.Subset(new HashSet<string?> { "payments", "search", "shop" }, checkedNamespaces.ToHashSet());
        Assert.True(checkedNamespaces.Distinct().Count() > 1, "every made-up key was checked against one namespace");
    }

    [Fact]
    public async Task Malformed_keys_need_no_namespace_check_and_without_any_key_nothing_is_checked()
    {
        _authorizer.AddUser("search-token", "system:serviceaccount:search:api", "search");
        var client = await StartAsync(ReviewAuthMode.Kubernetes, "search-token");

        var unknown = await ReviewStatusAsync(client, Review(_generator.Generate(CredentialFormat.Token, "ak_").ApiKey!));
        var malformed = await ReviewStatusAsync(client, Review("ak_not-a-key"));

        Assert.Equal("Unknown", unknown.GetProperty("reason").GetString());
        Assert.Equal("Malformed", malformed.GetProperty("reason").GetString());
        Assert.Equal(0, _authorizer.AccessReviews);
    }

    [Fact]
    public async Task A_flood_of_unknown_tokens_is_bounded_by_the_budget_and_answered_429()
    {
        var key = Issue("payments", "billing", IndexedKeyState.Active, []);
        _authorizer.AddUser("payments-token", "system:serviceaccount:payments:gateway", "payments");
        var known = await StartAsync(ReviewAuthMode.Kubernetes, "payments-token");
        Assert.Equal("Valid", (await ReviewStatusAsync(known, Review(key.ApiKey!))).GetProperty("reason").GetString());
        var codes = new List<int>();

        for (var i = 0; i < 200; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, Path) { Content = Json(Review(key.ApiKey!)) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", $"bogus-{i}");
            using var response = await known.SendAsync(request, _ct);
            codes.Add((int)response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.Equal("1", response.Headers.RetryAfter?.ToString());
                await AssertStatusAsync(response, 429, "TooManyRequests", key.ApiKey!);
            }
        }

        // Burst 10, one already spent on the known token; the fake clock stands still, so nothing refills.
        Assert.Equal(10, _authorizer.TokenReviews);
        Assert.Equal(9, codes.Count(c => c == 401));
        Assert.Equal(191, codes.Count(c => c == 429));
        // A caller already known keeps working during the flood.
        Assert.Equal("Valid", (await ReviewStatusAsync(known, Review(key.ApiKey!))).GetProperty("reason").GetString());
        _time.Advance(TimeSpan.FromSeconds(1));
        using var retry = new HttpRequestMessage(HttpMethod.Post, Path) { Content = Json(Review(key.ApiKey!)) };
        retry.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "bogus-retry");
        Assert.Equal(HttpStatusCode.Unauthorized, (await known.SendAsync(retry, _ct)).StatusCode);
        Assert.Equal(2, _usage.Uses.Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Unreachable_or_timed_out_api_server_is_503_and_nothing_is_verified(bool timedOut)
    {
        var key = Issue("payments", "billing", IndexedKeyState.Active, []);
        _authorizer.Failure = timedOut ? new TaskCanceledException("HttpClient.Timeout elapsed") : new HttpRequestException("connection refused");
        var client = await StartAsync(ReviewAuthMode.Kubernetes, "any-token");

        await AssertStatusAsync(await PostAsync(client, Review(key.ApiKey!)), 503, "ServiceUnavailable", key.ApiKey!);
        Assert.Empty(_usage.Uses);
        AssertNoLogContains("any-token");
    }

    [Fact]
    public async Task Verdicts_and_responses_are_counted()
    {
        var key = Issue("payments", "billing", IndexedKeyState.Active, []);
        var client = await StartAsync(ReviewAuthMode.None);

        await ReviewStatusAsync(client, Review(key.ApiKey!));
        await ReviewStatusAsync(client, Review(key.ApiKey!));
        await ReviewStatusAsync(client, Review("garbage"));
        await PostAsync(client, "{");

        using var stream = new MemoryStream();
        await _registry.CollectAndExportAsTextAsync(stream, _ct);
        var exposition = Encoding.UTF8.GetString(stream.ToArray());
        Assert.Contains("apikey_verifications_total{reason=\"Valid\"} 2", exposition);
        Assert.Contains("apikey_verifications_total{reason=\"Malformed\"} 1", exposition);
        Assert.Contains("apikey_review_requests_total{code=\"201\"} 3", exposition);
        Assert.Contains("apikey_review_requests_total{code=\"400\"} 1", exposition);
        Assert.DoesNotContain(key.ApiKey!, exposition);
    }

    [Fact]
    public async Task Serves_TLS_from_PEM_files_and_picks_up_a_rotated_certificate()
    {
        var key = Issue("payments", "billing", IndexedKeyState.Active, []);
        var (server, first) = await StartTlsAsync();
        Assert.Equal("https", server.Addresses[0].Scheme);
        Assert.Equal(first, await ServedThumbprintAsync(server.Addresses[0], key.ApiKey!));

        var second = await WriteSelfSignedPemAsync("CN=second", DateTime.UtcNow.AddMinutes(-1));

        Assert.Equal(second, await ServedThumbprintAsync(server.Addresses[0], key.ApiKey!));
    }

    [Fact]
    public async Task Broken_rotated_certificate_keeps_the_previous_one()
    {
        var key = Issue("payments", "billing", IndexedKeyState.Active, []);
        var (server, first) = await StartTlsAsync();

        await File.WriteAllTextAsync(KeyFile, "-----BEGIN PRIVATE KEY-----\ntruncated", _ct);
        File.SetLastWriteTimeUtc(KeyFile, DateTime.UtcNow.AddMinutes(-1));

        Assert.Equal(first, await ServedThumbprintAsync(server.Addresses[0], key.ApiKey!));
        Assert.Contains(_logs.Lines, l => l.Contains("keeping the previous one", StringComparison.Ordinal));
    }

    private string CertFile => System.IO.Path.Combine(_tlsDirectory.Value.FullName, "tls.crt");

    private string KeyFile => System.IO.Path.Combine(_tlsDirectory.Value.FullName, "tls.key");

    /// <summary>Starts a TLS server on a fresh self-signed certificate; returns it and the certificate's thumbprint.</summary>
    private async Task<(ReviewServer Server, string Thumbprint)> StartTlsAsync()
    {
        var thumbprint = await WriteSelfSignedPemAsync("CN=first", DateTime.UtcNow.AddMinutes(-2));
        var server = await StartServerAsync(new ReviewOptions
        {
            Endpoint = new IPEndPoint(IPAddress.Loopback, 0),
            Auth = ReviewAuthMode.None,
            TlsCertFile = CertFile,
            TlsKeyFile = KeyFile,
        });
        return (server, thumbprint);
    }

    /// <summary>Writes a fresh self-signed certificate for 127.0.0.1 and its key; returns its thumbprint.</summary>
    private async Task<string> WriteSelfSignedPemAsync(string subject, DateTime writtenAt)
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, ecdsa, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        await File.WriteAllTextAsync(CertFile, certificate.ExportCertificatePem(), _ct);
        await File.WriteAllTextAsync(KeyFile, ecdsa.ExportPkcs8PrivateKeyPem(), _ct);
        // Explicit times: two writes within the file system's timestamp granularity must still look different.
        File.SetLastWriteTimeUtc(CertFile, writtenAt);
        File.SetLastWriteTimeUtc(KeyFile, writtenAt);
        return certificate.Thumbprint;
    }

    /// <summary>Verifies a key over a new TLS connection and returns the thumbprint the server presented.</summary>
    private async Task<string?> ServedThumbprintAsync(Uri address, string apiKey)
    {
        string? served = null;
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, cert, _, _) =>
            {
                served = cert?.Thumbprint;
                return true;
            },
        };
        using var client = new HttpClient(handler) { BaseAddress = address };
        Assert.Equal("Valid", (await ReviewStatusAsync(client, Review(apiKey))).GetProperty("reason").GetString());
        return served;
    }

    private async Task<HttpClient> StartAsync(ReviewAuthMode auth, string? bearerToken = null)
    {
        var server = await StartServerAsync(new ReviewOptions { Endpoint = new IPEndPoint(IPAddress.Loopback, 0), Auth = auth, InsecureHttp = true });
        var client = new HttpClient { BaseAddress = server.Addresses[0] };
        _clients.Add(client);
        if (bearerToken is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        }

        return client;
    }

    private async Task<ReviewServer> StartServerAsync(ReviewOptions options, KeyIndex? index = null)
    {
        var loggerFactory = LoggerFactory.Create(b => b.AddProvider(_logs).SetMinimumLevel(LogLevel.Trace));
        var checks = new KubernetesReviewAuthorizer(new CachingRequestAuthorizer(_authorizer, _time, _budget, new AuthCacheOptions()));
        var server = new ReviewServer(options, new KeyVerifier(index ?? _index, _time), checks, _usage,
            new VerificationMetrics(Metrics.WithCustomRegistry(_registry)), _time, loggerFactory);
        _disposables.Add(server);
        await server.StartAsync(_ct);
        return server;
    }

    private Task<HttpResponseMessage> PostAsync(HttpClient client, string body) => client.PostAsync(Path, Json(body), _ct);

    private async Task<JsonElement> ReviewStatusAsync(HttpClient client, string body)
    {
        var response = await PostAsync(client, body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(_ct));
        return document.RootElement.GetProperty("status").Clone();
    }

    /// <summary>Asserts a Kubernetes Failure Status body with the given code and reason; returns the raw text.</summary>
    private async Task<string> AssertStatusAsync(HttpResponseMessage response, int code, string reason, string mustNotContain)
    {
        Assert.Equal(code, (int)response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync(_ct);
        Assert.DoesNotContain(mustNotContain, text);
        using var body = JsonDocument.Parse(text);
        var root = body.RootElement;
        Assert.Equal("Status", root.GetProperty("kind").GetString());
        Assert.Equal("v1", root.GetProperty("apiVersion").GetString());
        Assert.Equal("Failure", root.GetProperty("status").GetString());
        Assert.Equal(reason, root.GetProperty("reason").GetString());
        Assert.Equal(code, root.GetProperty("code").GetInt32());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("message").GetString()));
        return text;
    }

    private void AssertNoLogContains(string secret) =>
        Assert.DoesNotContain(_logs.Lines, line => line.Contains(secret, StringComparison.Ordinal));

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static string Review(string key, params string[] requiredScopes) => JsonSerializer.Serialize(new
    {
        apiVersion = "apikeyoperator.io/v1alpha1",
        kind = "ApiKeyReview",
        spec = new { key, requiredScopes },
    });

    private IssuedCredential Issue(string ns, string name, IndexedKeyState state, IReadOnlyList<string> scopes)
    {
        var credential = _generator.Generate(CredentialFormat.Token, "ak_");
        _index.Replace(ns, name, [Indexed(ns, name, credential, state, scopes)]);
        return credential;
    }

    private static IndexedKey Indexed(string ns, string name, IssuedCredential credential, IndexedKeyState state, IReadOnlyList<string> scopes) =>
        new(ns, name, credential.KeyId, credential.Hash, state, scopes, Now.UtcDateTime.AddDays(30));
}
