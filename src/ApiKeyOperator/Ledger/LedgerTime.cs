namespace ApiKeyOperator.Ledger;

/// <summary>The ledger stores instants as Unix milliseconds; these convert to and from UTC DateTime.</summary>
internal static class LedgerTime
{
    /// <summary>Unspecified kinds are taken as UTC, as Kubernetes timestamps are.</summary>
    public static long ToUnixMs(DateTime value)
    {
        DateTime utc = value.Kind switch
        {
            DateTimeKind.Local => value.ToUniversalTime(),
            DateTimeKind.Unspecified => DateTime.SpecifyKind(value, DateTimeKind.Utc),
            _ => value,
        };
        return new DateTimeOffset(utc).ToUnixTimeMilliseconds();
    }

    public static DateTime FromUnixMs(long unixMs) => DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime;
}
