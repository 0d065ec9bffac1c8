namespace ApiKeyOperator.Verification.Tokens;

/// <summary>What every access token carries and how long it lives, from the <c>--token-*</c> flags.</summary>
public sealed record TokenOptions
{
    /// <summary>Lifetime of a token when the ApiKey sets none: one hour, as the client-credentials products do.</summary>
    public const int DefaultLifetimeSeconds = 3600;

    /// <summary>Shortest <c>spec.tokenLifetimeSeconds</c>: below a minute, clock skew between parties dominates.</summary>
    public const int MinLifetimeSeconds = 60;

    /// <summary>Longest <c>spec.tokenLifetimeSeconds</c> (24 h): bounds how long a token outlives a revoked key offline,
    /// and how long a retired signing key stays published.</summary>
    public const int MaxLifetimeSeconds = 86_400;

    /// <summary>Largest accepted token request body; a client-credentials request is a few hundred bytes.</summary>
    public const int MaxFormBytes = 8 * 1024;

    /// <summary>Longest bearer token the verifier parses; ours are well under 1 KiB.</summary>
    public const int MaxTokenLength = 8 * 1024;

    /// <summary>The <c>typ</c> header of an RFC 9068 access token.</summary>
    public const string TokenType = "at+jwt";

    /// <summary><c>iss</c>, and the base of the discovery document's URLs.</summary>
    public required string Issuer { get; init; }

    /// <summary><c>aud</c> of every token; providers validate it.</summary>
    public required string Audience { get; init; }

    /// <summary>False when the operator cannot keep signing keys (its namespace is unknown): the endpoint says so.</summary>
    public bool SigningConfigured { get; init; } = true;

    /// <summary>Failed client authentications one client id may spend at once before it is slowed down.</summary>
    public int FailureBurst { get; init; } = 10;

    /// <summary>How fast a client id earns back one failed attempt.</summary>
    public TimeSpan FailureRefill { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Client ids whose failures are tracked at once; beyond it new ids are not tracked (see <see cref="ClientFailureLimiter"/>).</summary>
    public int FailureTrackingCapacity { get; init; } = 10_000;

    public static TimeSpan MaxLifetime => TimeSpan.FromSeconds(MaxLifetimeSeconds);
}
