using System.Security.Cryptography;
using ApiKeyOperator.Verification.Signing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ApiKeyOperator.Verification.Tokens;

/// <summary>
/// Signs RFC 9068 access tokens with the key that signs now, through <see cref="JsonWebTokenHandler"/>: header
/// <c>typ: at+jwt</c>, <c>alg: ES256</c>, <c>kid</c>; claims <c>iss sub aud exp iat jti client_id scope</c> (no <c>nbf</c>: a replica
/// whose clock is a little behind would refuse a token another replica just issued) plus
/// the ApiKey's namespace, name and key id. Never the client secret.
/// </summary>
public sealed class AccessTokenIssuer(TokenOptions options, SigningKeyRing ring)
{
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    /// <summary>Whether a key signs at <paramref name="now"/> (false until this replica has read the first one).</summary>
    public bool CanSign(DateTime now) => ring.SignerAt(now) is not null;

    /// <summary><c>iat</c> of a token issued at <paramref name="now"/>: JWT times are whole seconds.</summary>
    public static DateTime IssuedAt(DateTime now) => new(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);

    /// <param name="now">The instant of issue; the signer is the key signing at this instant (not at the truncated <c>iat</c>,
    /// which may lie before a key that started signing within the same second).</param>
    /// <returns>Null when no signing key is loaded yet.</returns>
    public IssuedAccessToken? Issue(AccessTokenSubject subject, IReadOnlyList<string> scopes, DateTime now, int lifetimeSeconds)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(scopes);
        var issuedAt = IssuedAt(now);
        var signer = ring.SignerAt(now);
        if (signer is null)
        {
            return null;
        }

        var jti = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var expiresAt = issuedAt.AddSeconds(lifetimeSeconds);
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            TokenType = TokenOptions.TokenType,
            Issuer = options.Issuer,
            Audience = options.Audience,
            IssuedAt = issuedAt,
            Expires = expiresAt,
            SigningCredentials = signer.Credentials,
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Sub] = subject.ClientId,
                [JwtRegisteredClaimNames.Jti] = jti,
                [AccessTokenClaims.ClientId] = subject.ClientId,
                [AccessTokenClaims.Scope] = string.Join(' ', scopes),
                [AccessTokenClaims.Namespace] = subject.ApiKey.Namespace,
                [AccessTokenClaims.ApiKey] = subject.ApiKey.Name,
                [AccessTokenClaims.KeyId] = subject.KeyId,
            },
        });
        return new IssuedAccessToken(token, jti, signer.Kid, issuedAt, expiresAt, scopes);
    }
}
