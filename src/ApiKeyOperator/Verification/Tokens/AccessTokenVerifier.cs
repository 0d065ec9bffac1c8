using ApiKeyOperator.Verification.Signing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ApiKeyOperator.Verification.Tokens;

/// <summary>
/// Verifies this operator's access tokens with <see cref="JsonWebTokenHandler"/> against the published signing
/// keys (type <c>at+jwt</c>, ES256 only, exact issuer and audience), checks <c>exp</c> on the operator's clock with no
/// skew (these are our own tokens), then
/// judges the key the token names through <see cref="KeyVerifier.VerifyIssued"/>: a token of a revoked, expired or
/// deleted key is refused the moment the index knows, not at the token's expiry.
/// </summary>
public sealed class AccessTokenVerifier(TokenOptions options, SigningKeyRing ring, KeyVerifier keys, TimeProvider time) : IBearerTokenReviewer
{
    private readonly JsonWebTokenHandler _handler = new();
    private volatile CachedParameters? _parameters;

    /// <summary>Whether <paramref name="credential"/> has the shape of a JWT (three dot-separated parts) rather than an API key.</summary>
    public static bool LooksLikeJwt(string credential) => credential.Count(c => c == '.') == 2;

    public async Task<ApiKeyReviewStatus> ReviewAsync(string token, IReadOnlyList<string> requiredScopes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (token.Length > TokenOptions.MaxTokenLength || !LooksLikeJwt(token))
        {
            return Rejected(ReviewReason.Malformed);
        }

        TokenValidationResult result;
        try
        {
            result = await _handler.ValidateTokenAsync(token, Parameters()).ConfigureAwait(false);
        }
        catch (ArgumentException)
        {
            return Rejected(ReviewReason.Malformed);
        }

        if (!result.IsValid)
        {
            return Rejected(result.Exception is SecurityTokenMalformedException ? ReviewReason.Malformed : ReviewReason.Unknown);
        }

        // Expiry on the injected clock (the library's own check reads the system clock). Our tokens always carry exp.
        if (result.SecurityToken is not JsonWebToken { ValidTo: var expiresAt } || expiresAt == DateTime.MinValue)
        {
            return Rejected(ReviewReason.Unknown);
        }

        if (expiresAt <= time.GetUtcNow().UtcDateTime)
        {
            return Rejected(ReviewReason.Expired);
        }

        var claims = result.Claims;
        if (Text(claims, AccessTokenClaims.Namespace) is not { } namespaceName
            || Text(claims, AccessTokenClaims.ApiKey) is not { } apiKeyName
            || Text(claims, AccessTokenClaims.KeyId) is not { } keyId)
        {
            // Signed by us but not shaped like our tokens: nothing to judge.
            return Rejected(ReviewReason.Unknown);
        }

        var scopes = (Text(claims, AccessTokenClaims.Scope) ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return keys.VerifyIssued(new ApiKeyReference(namespaceName, apiKeyName), keyId, scopes, requiredScopes ?? []);
    }

    private TokenValidationParameters Parameters()
    {
        var version = ring.Version;
        if (_parameters is { } cached && cached.RingVersion == version)
        {
            return cached.Parameters;
        }

        var parameters = new TokenValidationParameters
        {
            ValidIssuer = options.Issuer,
            ValidAudience = options.Audience,
            ValidTypes = [TokenOptions.TokenType],
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
            IssuerSigningKeys = ring.ValidationKeys,
            TryAllIssuerSigningKeys = false,
            RequireSignedTokens = true,
            ValidateLifetime = false,
        };
        _parameters = new CachedParameters(version, parameters);
        return parameters;
    }

    private sealed record CachedParameters(long RingVersion, TokenValidationParameters Parameters);

    private static string? Text(IDictionary<string, object> claims, string name) =>
        claims.TryGetValue(name, out var value) && value is string text && text.Length > 0 ? text : null;

    private static ApiKeyReviewStatus Rejected(ReviewReason reason) => new() { Reason = reason };
}
