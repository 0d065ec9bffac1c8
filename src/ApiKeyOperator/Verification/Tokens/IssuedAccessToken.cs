namespace ApiKeyOperator.Verification.Tokens;

/// <summary>A signed token and the public facts about it (for the response and the audit row). <see cref="ToString"/> omits the token.</summary>
public sealed record IssuedAccessToken(string Token, string Jti, string Kid, DateTime IssuedAt, DateTime ExpiresAt, IReadOnlyList<string> Scopes)
{
    public override string ToString() => $"IssuedAccessToken {{ Jti = {Jti}, Kid = {Kid}, IssuedAt = {IssuedAt:O}, ExpiresAt = {ExpiresAt:O} }}";
}
