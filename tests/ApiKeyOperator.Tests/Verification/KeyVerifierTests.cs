using ApiKeyOperator.Keys;
using ApiKeyOperator.Verification;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace ApiKeyOperator.Tests.Verification;

public sealed class KeyVerifierTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private readonly KeyGenerator _generator = new();
    private readonly KeyIndex _index = new();
    private readonly FakeTimeProvider _time = new(Now);
    private readonly KeyVerifier _verifier;

    public KeyVerifierTests() => _verifier = new KeyVerifier(_index, _time);

    [Theory]
    [InlineData(IndexedKeyState.Active)]
    [InlineData(IndexedKeyState.Retiring)]
    public void Live_token_with_required_scopes_is_valid(IndexedKeyState state)
    {
        var credential = Issue(CredentialFormat.Token, state, ["recordings:read", "recordings:write"]);

        var status = _verifier.Verify(new ApiKeyReviewSpec { Key = credential.ApiKey, RequiredScopes = ["recordings:read"] });

        Assert.Equal(ReviewReason.Valid, status.Reason);
        Assert.True(status.Authenticated);
        Assert.True(status.Allowed);
        Assert.Equal(new ApiKeyReference("payments", "billing"), status.ApiKey);
        Assert.Equal(credential.KeyId, status.KeyId);
        Assert.Equal(["recordings:read", "recordings:write"], status.Scopes);
        Assert.Equal(Now.UtcDateTime.AddDays(30), status.ExpiresAt);
        Assert.Null(status.MissingScopes);
    }

    [Fact]
    public void Client_credentials_verify_by_client_id_and_secret()
    {
        var credential = Issue(CredentialFormat.ClientCredentials, IndexedKeyState.Active, []);

        var status = _verifier.Verify(new ApiKeyReviewSpec { ClientId = credential.ClientId, ClientSecret = credential.ClientSecret });

        Assert.Equal(ReviewReason.Valid, status.Reason);
        Assert.True(status.Allowed);
        Assert.Equal(credential.KeyId, status.KeyId);
    }

    [Fact]
    public void Revoked_key_is_rejected_but_identified()
    {
        var credential = Issue(CredentialFormat.Token, IndexedKeyState.Revoked, []);

        var status = _verifier.Verify(new ApiKeyReviewSpec { Key = credential.ApiKey });

        Assert.Equal(ReviewReason.Revoked, status.Reason);
        Assert.False(status.Authenticated);
        Assert.False(status.Allowed);
        Assert.Equal(credential.KeyId, status.KeyId);
        Assert.Equal(new ApiKeyReference("payments", "billing"), status.ApiKey);
    }

    [Fact]
    public void Retiring_key_is_revoked_once_its_revocation_time_passes()
    {
        var credential = Issue(CredentialFormat.Token, IndexedKeyState.Retiring, [], revokeAt: Now.UtcDateTime.AddHours(1));
        var spec = new ApiKeyReviewSpec { Key = credential.ApiKey };
        Assert.Equal(ReviewReason.Valid, _verifier.Verify(spec).Reason);

        _time.Advance(TimeSpan.FromHours(1));

        Assert.Equal(ReviewReason.Revoked, _verifier.Verify(spec).Reason);
    }

    [Fact]
    public void Key_in_state_Expired_is_expired()
    {
        var credential = Issue(CredentialFormat.Token, IndexedKeyState.Expired, []);

        var status = _verifier.Verify(new ApiKeyReviewSpec { Key = credential.ApiKey });

        Assert.Equal(ReviewReason.Expired, status.Reason);
        Assert.False(status.Authenticated);
    }

    [Fact]
    public void Active_key_expires_at_its_expiry_instant_before_the_operator_marks_it()
    {
        var credential = Issue(CredentialFormat.Token, IndexedKeyState.Active, []);
        var spec = new ApiKeyReviewSpec { Key = credential.ApiKey };

        _time.Advance(TimeSpan.FromDays(30) - TimeSpan.FromTicks(1));
        Assert.Equal(ReviewReason.Valid, _verifier.Verify(spec).Reason);

        _time.Advance(TimeSpan.FromTicks(1));
        var status = _verifier.Verify(spec);
        Assert.Equal(ReviewReason.Expired, status.Reason);
        Assert.False(status.Authenticated);
        Assert.False(status.Allowed);
    }

    [Fact]
    public void Well_formed_token_not_in_the_index_is_unknown()
    {
        var stranger = _generator.Generate(CredentialFormat.Token, "ak_");

        var status = _verifier.Verify(new ApiKeyReviewSpec { Key = stranger.ApiKey });

        Assert.Equal(ReviewReason.Unknown, status.Reason);
        Assert.Null(status.ApiKey);
        Assert.Null(status.KeyId);
    }

    [Fact]
    public void Known_key_id_with_another_secret_is_unknown()
    {
        var credential = Issue(CredentialFormat.Token, IndexedKeyState.Active, []);
        var forged = TokenFormat.FormatToken("ak_", credential.KeyId, new string('A', TokenFormat.SecretLength));

        var status = _verifier.Verify(new ApiKeyReviewSpec { Key = forged });

        Assert.Equal(ReviewReason.Unknown, status.Reason);
        Assert.Null(status.KeyId);
    }

    [Fact]
    public void Key_ids_shared_by_two_ApiKeys_resolve_by_hash()
    {
        var first = _generator.Generate(CredentialFormat.Token, "ak_");
        var second = TokenFormat.FormatToken("ak_", first.KeyId, new string('B', TokenFormat.SecretLength));
        _index.Replace("a", "one", [Indexed("a", "one", first.KeyId, first.Hash)]);
        _index.Replace("b", "two", [Indexed("b", "two", first.KeyId, KeyHash.Compute(second))]);

        Assert.Equal(new ApiKeyReference("a", "one"), _verifier.Verify(new ApiKeyReviewSpec { Key = first.ApiKey }).ApiKey);
        Assert.Equal(new ApiKeyReference("b", "two"), _verifier.Verify(new ApiKeyReviewSpec { Key = second }).ApiKey);
    }

    [Fact]
    public void Token_failing_its_checksum_is_malformed_even_when_its_hash_is_indexed()
    {
        var credential = _generator.Generate(CredentialFormat.Token, "ak_");
        var tampered = credential.ApiKey![..^1] + (credential.ApiKey[^1] == 'a' ? 'b' : 'a');
        // Index the tampered value itself: only the checksum can reject it, which proves no lookup happened.
        _index.Replace("payments", "billing", [Indexed("payments", "billing", credential.KeyId, KeyHash.Compute(tampered))]);

        var status = _verifier.Verify(new ApiKeyReviewSpec { Key = tampered });

        Assert.Equal(ReviewReason.Malformed, status.Reason);
        Assert.False(status.Authenticated);
        Assert.Null(status.ApiKey);
    }

    [Theory]
    [InlineData("not-a-key", null, null)]
    [InlineData("", null, null)]
    [InlineData(null, null, null)]
    [InlineData(null, "ak_3f9a1c2e", "short")]
    [InlineData(null, "AK_3f9a1c2e", null)]
    public void Credentials_outside_the_grammar_are_malformed(string? key, string? clientId, string? clientSecret)
    {
        var status = _verifier.Verify(new ApiKeyReviewSpec { Key = key, ClientId = clientId, ClientSecret = clientSecret });

        Assert.Equal(ReviewReason.Malformed, status.Reason);
    }

    [Fact]
    public void Token_and_client_credentials_together_are_malformed()
    {
        var token = Issue(CredentialFormat.Token, IndexedKeyState.Active, []);
        var client = _generator.Generate(CredentialFormat.ClientCredentials, "ak_");

        var status = _verifier.Verify(new ApiKeyReviewSpec { Key = token.ApiKey, ClientId = client.ClientId, ClientSecret = client.ClientSecret });

        Assert.Equal(ReviewReason.Malformed, status.Reason);
    }

    [Fact]
    public void Client_secret_failing_its_checksum_is_malformed()
    {
        var credential = Issue(CredentialFormat.ClientCredentials, IndexedKeyState.Active, []);
        var tampered = credential.ClientSecret![..^1] + (credential.ClientSecret[^1] == 'a' ? 'b' : 'a');

        var status = _verifier.Verify(new ApiKeyReviewSpec { ClientId = credential.ClientId, ClientSecret = tampered });

        Assert.Equal(ReviewReason.Malformed, status.Reason);
    }

    [Fact]
    public void Client_secret_presented_under_another_key_id_is_unknown()
    {
        var credential = Issue(CredentialFormat.ClientCredentials, IndexedKeyState.Active, []);

        var status = _verifier.Verify(new ApiKeyReviewSpec { ClientId = "ak_00000000", ClientSecret = credential.ClientSecret });

        Assert.Equal(ReviewReason.Unknown, status.Reason);
    }

    [Fact]
    public void Missing_scopes_authenticate_but_are_not_allowed_and_are_listed_once_in_request_order()
    {
        var credential = Issue(CredentialFormat.Token, IndexedKeyState.Active, ["recordings:read"]);

        var status = _verifier.Verify(new ApiKeyReviewSpec
        {
            Key = credential.ApiKey,
            RequiredScopes = ["recordings:write", "recordings:read", "admin", "recordings:write"],
        });

        Assert.Equal(ReviewReason.MissingScopes, status.Reason);
        Assert.True(status.Authenticated);
        Assert.False(status.Allowed);
        Assert.Equal(["recordings:write", "admin"], status.MissingScopes);
    }

    [Fact]
    public void Scope_comparison_is_exact()
    {
        var credential = Issue(CredentialFormat.Token, IndexedKeyState.Active, ["recordings:read"]);

        var status = _verifier.Verify(new ApiKeyReviewSpec { Key = credential.ApiKey, RequiredScopes = ["Recordings:Read"] });

        Assert.Equal(ReviewReason.MissingScopes, status.Reason);
    }

    [Fact]
    public void Revocation_takes_effect_on_the_next_verification_after_the_index_changes()
    {
        var credential = Issue(CredentialFormat.Token, IndexedKeyState.Active, []);
        var spec = new ApiKeyReviewSpec { Key = credential.ApiKey };
        Assert.Equal(ReviewReason.Valid, _verifier.Verify(spec).Reason);

        _index.Replace("payments", "billing", [Indexed("payments", "billing", credential.KeyId, credential.Hash) with { State = IndexedKeyState.Revoked }]);
        Assert.Equal(ReviewReason.Revoked, _verifier.Verify(spec).Reason);

        _index.Remove("payments", "billing");
        Assert.Equal(ReviewReason.Unknown, _verifier.Verify(spec).Reason);
    }

    private IssuedCredential Issue(CredentialFormat format, IndexedKeyState state, IReadOnlyList<string> scopes, DateTime? revokeAt = null)
    {
        var credential = _generator.Generate(format, "ak_");
        _index.Replace("payments", "billing",
        [
            Indexed("payments", "billing", credential.KeyId, credential.Hash) with { State = state, Scopes = scopes, RevokeAt = revokeAt },
        ]);
        return credential;
    }

    private static IndexedKey Indexed(string ns, string name, string keyId, string hash) =>
        new(ns, name, keyId, hash, IndexedKeyState.Active, [], Now.UtcDateTime.AddDays(30));
}
