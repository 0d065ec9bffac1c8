using System.Security.Cryptography;
using System.Text;
using ApiKeyOperator.Verification;
using ApiKeyOperator.Verification.Signing;
using ApiKeyOperator.Verification.Tokens;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Xunit;

namespace ApiKeyOperator.Tests.Verification.Providers;

public sealed class AccessTokenVerifierTests : IAsyncLifetime
{
    private readonly ProviderKit _kit = new();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _kit.DisposeAsync();

    [Fact]
    public async Task Token_of_a_live_key_is_valid_with_the_token_scopes_not_the_key_scopes()
    {
        var client = _kit.Issue("payments", "billing", IndexedKeyState.Active, ["a", "b"]);
        var token = Issue(client, ["a"]);

        var valid = await _kit.TokenVerifier.ReviewAsync(token, ["a"], _ct);
        var beyond = await _kit.TokenVerifier.ReviewAsync(token, ["b"], _ct);

        Assert.Equal((ReviewReason.Valid, true, true), (valid.Reason, valid.Authenticated, valid.Allowed));
        Assert.Equal(new ApiKeyReference("payments", "billing"), valid.ApiKey);
        Assert.Equal(client.KeyId, valid.KeyId);
        Assert.Equal(["a"], valid.Scopes);
        Assert.Equal(ReviewReason.MissingScopes, beyond.Reason);
        Assert.Equal(["b"], beyond.MissingScopes);
    }

    [Fact]
    public async Task Token_is_refused_the_moment_its_key_is_revoked_not_at_its_expiry()
    {
        var client = _kit.Issue("payments", "billing", IndexedKeyState.Active, []);
        var token = Issue(client, []);
        Assert.Equal(ReviewReason.Valid, (await _kit.TokenVerifier.ReviewAsync(token, [], _ct)).Reason);

        _kit.Index.Replace("payments", "billing", [Indexed(client, IndexedKeyState.Revoked)]);

        var status = await _kit.TokenVerifier.ReviewAsync(token, [], _ct);
        Assert.Equal((ReviewReason.Revoked, false), (status.Reason, status.Authenticated));
        Assert.Equal(client.KeyId, status.KeyId);
    }

    [Fact]
    public async Task Token_of_a_deleted_ApiKey_is_revoked_and_one_of_an_expired_key_is_expired()
    {
        var deleted = _kit.Issue("payments", "gone", IndexedKeyState.Active, []);
        var expiring = _kit.Issue("payments", "ending", IndexedKeyState.Active, [], expiresAt: ProviderKit.Now.UtcDateTime.AddHours(2));
        var deletedToken = Issue(deleted, []);
        var expiringToken = Issue(expiring, []);

        _kit.Index.Remove("payments", "gone");
        _kit.Index.Replace("payments", "ending", [Indexed(expiring, IndexedKeyState.Expired)]);

        Assert.Equal(ReviewReason.Revoked, (await _kit.TokenVerifier.ReviewAsync(deletedToken, [], _ct)).Reason);
        Assert.Equal(ReviewReason.Expired, (await _kit.TokenVerifier.ReviewAsync(expiringToken, [], _ct)).Reason);
    }

    [Fact]
    public async Task Token_expires_at_exp_on_the_operator_clock()
    {
        var client = _kit.Issue("payments", "billing", IndexedKeyState.Active, []);
        var token = Issue(client, [], lifetimeSeconds: 60);

        _kit.Time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(ReviewReason.Valid, (await _kit.TokenVerifier.ReviewAsync(token, [], _ct)).Reason);
        _kit.Time.Advance(TimeSpan.FromSeconds(1));

        var status = await _kit.TokenVerifier.ReviewAsync(token, [], _ct);
        Assert.Equal((ReviewReason.Expired, null), (status.Reason, status.ApiKey));
    }

    [Fact]
    public async Task Tampered_foreign_and_unsigned_tokens_are_not_ours()
    {
        var client = _kit.Issue("payments", "billing", IndexedKeyState.Active, ["a"]);
        var token = Issue(client, ["a"]);
        var parts = token.Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1])).Replace("\"billing\"", "\"other\"", StringComparison.Ordinal);
        var tampered = $"{parts[0]}.{Base64UrlEncoder.Encode(payload)}.{parts[2]}";
        using var foreignKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var foreign = Sign(new ECDsaSecurityKey(foreignKey) { KeyId = _kit.Ring.Keys[0].Kid }, SecurityAlgorithms.EcdsaSha256, client.KeyId);
        var hmac = Sign(new SymmetricSecurityKey(new byte[32]) { KeyId = _kit.Ring.Keys[0].Kid }, SecurityAlgorithms.HmacSha256, client.KeyId);
        var unsigned = new JsonWebTokenHandler().CreateToken(Descriptor(client.KeyId, signing: null));

        foreach (var bad in new[] { tampered, foreign, hmac, unsigned })
        {
            var status = await _kit.TokenVerifier.ReviewAsync(bad, [], _ct);
            Assert.False(status.Authenticated);
            Assert.Contains(status.Reason, new[] { ReviewReason.Unknown, ReviewReason.Malformed });
            Assert.Null(status.ApiKey);
        }
    }

    [Theory]
    [InlineData("https://evil.example", "https://billing.example", "at+jwt")]
    [InlineData(ProviderKit.Issuer, "https://other.example", "at+jwt")]
    [InlineData(ProviderKit.Issuer, "https://billing.example", "JWT")]
    public async Task Wrong_issuer_audience_or_type_is_unknown(string issuer, string audience, string type)
    {
        var client = _kit.Issue("payments", "billing", IndexedKeyState.Active, []);
        var descriptor = Descriptor(client.KeyId, _kit.Ring.Keys[0].Credentials);
        descriptor.Issuer = issuer;
        descriptor.Audience = audience;
        descriptor.TokenType = type;

        var status = await _kit.TokenVerifier.ReviewAsync(new JsonWebTokenHandler().CreateToken(descriptor), [], _ct);

        Assert.Equal(ReviewReason.Unknown, status.Reason);
    }

    [Fact]
    public async Task Token_signed_by_a_key_no_longer_published_is_unknown()
    {
        var client = _kit.Issue("payments", "billing", IndexedKeyState.Active, []);
        var token = Issue(client, []);

        _kit.Ring.Update([SigningKeyGenerator.Generate(ProviderKit.Now.UtcDateTime, ProviderKit.Now.UtcDateTime)]);

        Assert.Equal(ReviewReason.Unknown, (await _kit.TokenVerifier.ReviewAsync(token, [], _ct)).Reason);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ak_3f9a1c2e_notajwt")]
    [InlineData("a.b")]
    [InlineData("a.b.c")]
    [InlineData("....")]
    public async Task Garbage_is_malformed_or_unknown_and_never_throws(string garbage)
    {
        var status = await _kit.TokenVerifier.ReviewAsync(garbage, [], _ct);

        Assert.Contains(status.Reason, new[] { ReviewReason.Malformed, ReviewReason.Unknown });
        Assert.False(status.Authenticated);
    }

    [Fact]
    public async Task Oversized_token_is_malformed_before_parsing()
    {
        var status = await _kit.TokenVerifier.ReviewAsync("a." + new string('b', TokenOptions.MaxTokenLength) + ".c", [], _ct);

        Assert.Equal(ReviewReason.Malformed, status.Reason);
    }

    private string Issue(ApiKeyOperator.Keys.IssuedCredential client, IReadOnlyList<string> scopes, int lifetimeSeconds = 3600)
    {
        var owner = _kit.Index.FindByKeyId(client.KeyId).Single();
        return _kit.TokenIssuer.Issue(new AccessTokenSubject(client.ClientId ?? client.KeyId, new ApiKeyReference(owner.Namespace, owner.ApiKeyName), client.KeyId),
            scopes, ProviderKit.Now.UtcDateTime, lifetimeSeconds)!.Token;
    }

    private IndexedKey Indexed(ApiKeyOperator.Keys.IssuedCredential client, IndexedKeyState state) =>
        _kit.Index.FindByKeyId(client.KeyId).Single() with { State = state };

    private string Sign(SecurityKey key, string algorithm, string keyId) =>
        new JsonWebTokenHandler().CreateToken(Descriptor(keyId, new SigningCredentials(key, algorithm)));

    private static SecurityTokenDescriptor Descriptor(string keyId, SigningCredentials? signing) => new()
    {
        TokenType = "at+jwt",
        Issuer = ProviderKit.Issuer,
        Audience = "https://billing.example",
        IssuedAt = ProviderKit.Now.UtcDateTime,
        Expires = ProviderKit.Now.UtcDateTime.AddHours(1),
        SigningCredentials = signing,
        Claims = new Dictionary<string, object> { ["sub"] = "ak_" + keyId, ["namespace"] = "payments", ["apikey"] = "billing", ["key_id"] = keyId, ["scope"] = "" },
    };
}
