namespace ApiKeyOperator.Security;

/// <summary>
/// How long TokenReview and SubjectAccessReview answers are reused (controller-runtime's authentication filter
/// keeps them for minutes; shorter here so that a removed RoleBinding takes effect quickly).
/// </summary>
public sealed record AuthCacheOptions
{
    /// <summary>An authenticated token, an allowed request.</summary>
    public TimeSpan AllowTtl { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>An unknown token, a denied request: short, but enough that repeating them costs nothing.</summary>
    public TimeSpan DenyTtl { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Most cached answers of each kind.</summary>
    public int Capacity { get; init; } = 8192;
}
