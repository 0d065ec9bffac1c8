using System.Globalization;
using System.Text.RegularExpressions;

namespace ApiKeyOperator.Ledger;

/// <summary>
/// Parses the <c>since</c> of the audit endpoint and CLI: an RFC 3339 instant (<c>2026-11-23T12:00:00Z</c>),
/// a date (<c>2026-11-23</c>, midnight UTC), or a look-back duration (<c>90s</c>, <c>30m</c>, <c>24h</c>, <c>7d</c>).
/// </summary>
internal static partial class AuditSince
{
    private static readonly string[] InstantFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ssK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd",
    ];

    public static bool TryParse(string text, DateTimeOffset now, out DateTime since)
    {
        Match duration = DurationPattern().Match(text);
        if (duration.Success && long.TryParse(duration.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out long amount))
        {
            TimeSpan unit = duration.Groups[2].ValueSpan switch
            {
                "s" => TimeSpan.FromSeconds(1),
                "m" => TimeSpan.FromMinutes(1),
                "h" => TimeSpan.FromHours(1),
                _ => TimeSpan.FromDays(1),
            };
            if (amount <= (now - DateTimeOffset.UnixEpoch) / unit)
            {
                since = (now - (unit * amount)).UtcDateTime;
                return true;
            }
        }
        else if (DateTimeOffset.TryParseExact(
            text,
            InstantFormats,
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
            out DateTimeOffset instant))
        {
            since = instant.UtcDateTime;
            return true;
        }

        since = default;
        return false;
    }

    [GeneratedRegex("^([0-9]{1,9})(s|m|h|d)$", RegexOptions.CultureInvariant)]
    private static partial Regex DurationPattern();
}
