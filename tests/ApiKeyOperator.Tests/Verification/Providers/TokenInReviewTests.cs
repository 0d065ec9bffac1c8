using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ApiKeyOperator.Keys;
using ApiKeyOperator.Verification;
using ApiKeyOperator.Verification.Tokens;
using Xunit;

namespace ApiKeyOperator.Tests.Verification.Providers;

/// <summary>ApiKeyReview's <c>spec.token</c>: the online check that sees revocation before a token's expiry.</summary>
public sealed class TokenInReviewTests : IAsyncLifetime
{
    private readonly ProviderKit _kit = new();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private HttpClient _client = null!;

    public async ValueTask InitializeAsync()
    {
        _kit.Gateways.AddUser("provider-token", "system:serviceaccount:payments:billing-api", "payments");
        _client = await _kit.StartAsync(reviewAuth: ReviewAuthMode.Kubernetes);
        _client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "provider-token");
    }

    public ValueTask DisposeAsync() => _kit.DisposeAsync();

    [Fact]
    public async Task Review_of_a_token_answers_like_a_key_and_never_echoes_it()
    {
        var client = _kit.Issue("payments", "billing", IndexedKeyState.Active, ["a", "b"]);
        var token = Issue(client, ["a"]);

        var (status, text) = await ReviewAsync(new ApiKeyReviewSpec { Token = token, RequiredScopes = ["a"] });

        Assert.Equal("Valid", status.GetProperty("reason").GetString());
        Assert.Equal(client.KeyId, status.GetProperty("keyId").GetString());
        Assert.Equal("a", status.GetProperty("scopes")[0].GetString());
        Assert.DoesNotContain(token, text);
        Assert.Contains(_kit.Usage.Uses, u => u.KeyId == client.KeyId);
    }

    [Fact]
    public async Task Review_refuses_a_token_as_soon_as_its_key_is_revoked()
    {
        var client = _kit.Issue("payments", "billing", IndexedKeyState.Active, []);
        var token = Issue(client, []);

        _kit.Index.Replace("payments", "billing", [_kit.Index.FindByKeyId(client.KeyId).Single() with { State = IndexedKeyState.Revoked }]);
        var (status, _) = await ReviewAsync(new ApiKeyReviewSpec { Token = token });

        Assert.Equal(("Revoked", false), (status.GetProperty("reason").GetString(), status.GetProperty("authenticated").GetBoolean()));
    }

    [Fact]
    public async Task Token_together_with_a_key_is_malformed()
    {
        var client = _kit.Issue("payments", "billing", IndexedKeyState.Active, []);
        var key = _kit.Issue("payments", "other", IndexedKeyState.Active, [], CredentialFormat.Token);

        var (status, _) = await ReviewAsync(new ApiKeyReviewSpec { Token = Issue(client, []), Key = key.ApiKey });

        Assert.Equal("Malformed", status.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Provider_not_allowed_in_the_tokens_namespace_learns_nothing()
    {
        var client = _kit.Issue("hr", "payroll", IndexedKeyState.Active, []);

        using var response = await _client.PostAsJsonAsync(ApiKeyOperator.Verification.ReviewServer.Path, Review(new ApiKeyReviewSpec { Token = Issue(client, []) }), _ct);

        // Exactly what a made-up credential gets: no oracle for another tenant's tokens.
        var text = await response.Content.ReadAsStringAsync(_ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("Unknown", JsonDocument.Parse(text).RootElement.GetProperty("status").GetProperty("reason").GetString());
        Assert.DoesNotContain("payroll", text);
    }

    private string Issue(IssuedCredential client, IReadOnlyList<string> scopes)
    {
        var owner = _kit.Index.FindByKeyId(client.KeyId).Single();
        return _kit.TokenIssuer.Issue(new AccessTokenSubject(client.ClientId!, new ApiKeyReference(owner.Namespace, owner.ApiKeyName), client.KeyId),
            scopes, ProviderKit.Now.UtcDateTime, 3600)!.Token;
    }

    private async Task<(JsonElement Status, string Text)> ReviewAsync(ApiKeyReviewSpec spec)
    {
        using var response = await _client.PostAsJsonAsync(ApiKeyOperator.Verification.ReviewServer.Path, Review(spec), _ct);
        var text = await response.Content.ReadAsStringAsync(_ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var document = JsonDocument.Parse(text);
        return (document.RootElement.GetProperty("status").Clone(), text);
    }

    private static ApiKeyReview Review(ApiKeyReviewSpec spec) => new() { ApiVersion = ApiKeyReview.ApiVersionValue, Kind = ApiKeyReview.KindValue, Spec = spec };
}
