using ApiKeyOperator.Keys;

namespace ApiKeyOperator.Verification;

/// <summary>
/// The verification decision, free of I/O: grammar and checksum first (a malformed credential never reaches
/// the index), then lookup by public key id, constant-time comparison of the SHA-256 fingerprint, state and
/// expiry, and finally the scope check.
/// </summary>
public sealed class KeyVerifier(KeyIndex index, TimeProvider time)
{
    /// <summary>Whether verdicts can be trusted yet: the index behind them has synced.</summary>
    public bool IsReady => index.IsSynced;

    /// <summary>The namespaces that hold keys (see <see cref="KeyIndex.Namespaces"/>).</summary>
    public System.Collections.Immutable.ImmutableArray<string> KeyNamespaces => index.Namespaces;

    public ApiKeyReviewStatus Verify(ApiKeyReviewSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var (keyId, credential) = ParseCredential(spec);
        if (keyId is null || credential is null)
        {
            return Rejected(ReviewReason.Malformed);
        }

        var presentedHash = KeyHash.Compute(credential);
        IndexedKey? match = null;
        foreach (var candidate in index.FindByKeyId(keyId))
        {
            // No early exit: every candidate with this id costs the same comparison.
            if (KeyHash.FixedTimeEquals(candidate.Hash, presentedHash))
            {
                match ??= candidate;
            }
        }

        return match is null ? Rejected(ReviewReason.Unknown) : Judge(match, spec.RequiredScopes ?? []);
    }

    /// <summary>
    /// The verdict on a key known only by its public id and owner, for an access token the operator signed for it
    /// (the signature stands in for the secret): the same state, expiry and scope judgement as a presented key,
    /// with the key's scopes narrowed to <paramref name="grantedScopes"/>. A key no longer indexed belonged to a
    /// deleted ApiKey, and deletion revokes: Revoked.
    /// </summary>
    public ApiKeyReviewStatus VerifyIssued(ApiKeyReference owner, string keyId, IReadOnlyList<string> grantedScopes, IReadOnlyList<string> requiredScopes)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(grantedScopes);
        var key = index.FindByKeyId(keyId).FirstOrDefault(k => k.Namespace == owner.Namespace && k.ApiKeyName == owner.Name);
        if (key is null)
        {
            return new ApiKeyReviewStatus { ApiKey = owner, KeyId = keyId, Reason = ReviewReason.Revoked };
        }

        var granted = key.Scopes.Where(s => grantedScopes.Contains(s, StringComparer.Ordinal)).ToList();
        return Judge(key with { Scopes = granted }, requiredScopes ?? []);
    }

    /// <summary>The key id and the value <see cref="KeyHash"/> covers, or nulls when the credential is malformed.</summary>
    private static (string? KeyId, string? Credential) ParseCredential(ApiKeyReviewSpec spec)
    {
        var hasToken = !string.IsNullOrEmpty(spec.Key);
        var hasClientCredentials = !string.IsNullOrEmpty(spec.ClientId) || !string.IsNullOrEmpty(spec.ClientSecret);
        if (hasToken == hasClientCredentials)
        {
            return (null, null);
        }

        if (hasToken)
        {
            return TokenFormat.TryParse(spec.Key, out var token) ? (token.KeyId, spec.Key) : (null, null);
        }

        return TokenFormat.TryParseClientCredentials(spec.ClientId, spec.ClientSecret, out var client)
            ? (client.KeyId, spec.ClientSecret)
            : (null, null);
    }

    private ApiKeyReviewStatus Judge(IndexedKey key, IReadOnlyList<string> requiredScopes)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var identified = new ApiKeyReviewStatus
        {
            ApiKey = new ApiKeyReference(key.Namespace, key.ApiKeyName),
            KeyId = key.KeyId,
            Scopes = key.Scopes,
            ExpiresAt = key.ExpiresAt,
        };

        if (key.State == IndexedKeyState.Revoked || key.RevokeAt <= now)
        {
            return identified with { Reason = ReviewReason.Revoked };
        }

        if (key.State == IndexedKeyState.Expired || key.ExpiresAt <= now)
        {
            return identified with { Reason = ReviewReason.Expired };
        }

        var missing = requiredScopes.Distinct(StringComparer.Ordinal).Where(s => !key.Scopes.Contains(s, StringComparer.Ordinal)).ToList();
        return missing.Count == 0
            ? identified with { Authenticated = true, Allowed = true, Reason = ReviewReason.Valid }
            : identified with { Authenticated = true, Reason = ReviewReason.MissingScopes, MissingScopes = missing };
    }

    private static ApiKeyReviewStatus Rejected(ReviewReason reason) => new() { Reason = reason };
}
