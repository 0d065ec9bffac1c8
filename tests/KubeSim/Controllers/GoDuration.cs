using System.Globalization;
using System.Text.RegularExpressions;

namespace KubeSim;

/// <summary>Go's time.ParseDuration for the units Kubernetes users write (h, m, s, ms, us, ns), e.g. "1m30s", "250ms".</summary>
internal static partial class GoDuration
{
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text) || !Whole().IsMatch(text))
        {
            return false;
        }

        foreach (Match piece in Part().Matches(text))
        {
            var amount = double.Parse(piece.Groups[1].Value, CultureInfo.InvariantCulture);
            duration += piece.Groups[2].Value switch
            {
                "h" => TimeSpan.FromHours(amount),
                "m" => TimeSpan.FromMinutes(amount),
                "s" => TimeSpan.FromSeconds(amount),
                "ms" => TimeSpan.FromMilliseconds(amount),
                "us" or "µs" => TimeSpan.FromMicroseconds(amount),
                _ => TimeSpan.FromTicks((long)(amount / 100)),
            };
        }

        if (text.StartsWith('-'))
        {
            duration = -duration;
        }

        return true;
    }

    [GeneratedRegex(@"^[-+]?([0-9]+(\.[0-9]*)?(ns|us|µs|ms|s|m|h))+$")]
    private static partial Regex Whole();

    [GeneratedRegex(@"([0-9]+(?:\.[0-9]*)?)(ns|us|µs|ms|s|m|h)")]
    private static partial Regex Part();
}
