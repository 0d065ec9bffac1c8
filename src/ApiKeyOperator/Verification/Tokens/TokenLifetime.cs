namespace ApiKeyOperator.Verification.Tokens;

/// <summary>How long a token lives: the ApiKey's <c>spec.tokenLifetimeSeconds</c> (else one hour), held within
/// [<see cref="TokenOptions.MinLifetimeSeconds"/>, <see cref="TokenOptions.MaxLifetimeSeconds"/>] even when a server
/// without schema validation let another value through, and never past the key's own expiry or scheduled revocation.</summary>
public static class TokenLifetime
{
    /// <returns>Whole seconds; zero or less when the key has no second left.</returns>
    public static int Seconds(int? requested, DateTime issuedAt, DateTime? keyExpiresAt, DateTime? keyRevokeAt)
    {
        var seconds = Math.Clamp(requested ?? TokenOptions.DefaultLifetimeSeconds, TokenOptions.MinLifetimeSeconds, TokenOptions.MaxLifetimeSeconds);
        foreach (var end in new[] { keyExpiresAt, keyRevokeAt })
        {
            if (end is { } limit)
            {
                seconds = (int)Math.Min(seconds, Math.Floor((limit - issuedAt).TotalSeconds));
            }
        }

        return seconds;
    }
}
