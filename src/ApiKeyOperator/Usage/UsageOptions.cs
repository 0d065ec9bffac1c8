namespace ApiKeyOperator.Usage;

/// <summary>How often usage reaches ApiKey status.</summary>
public sealed record UsageOptions
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMinutes(1);

    /// <summary>At most one status write per key per interval for the whole installation; lastUsedAt is accurate to it.</summary>
    public TimeSpan Interval { get; init; } = DefaultInterval;

    /// <summary>How often the flush loop looks at what is pending (in memory only): a sixth of the interval.</summary>
    public TimeSpan Tick => Interval / 6;
}
