using System.Globalization;

namespace KubeSim.Http;

/// <summary>Ages the way kubectl shows them (apimachinery's duration.HumanDuration): 45s, 3m20s, 5h, 3d4h, 2y.</summary>
internal static class HumanDuration
{
    public static string Format(TimeSpan d)
    {
        if (d < TimeSpan.FromSeconds(-1))
        {
            return "<invalid>";
        }

        if (d < TimeSpan.Zero)
        {
            return "0s";
        }

        var seconds = (long)d.TotalSeconds;
        var minutes = (long)d.TotalMinutes;
        var hours = (long)d.TotalHours;
        var days = hours / 24;
        var years = days / 365;
        return d switch
        {
            _ when seconds < 120 => $"{seconds}s",
            _ when minutes < 10 => seconds % 60 == 0 ? $"{minutes}m" : $"{minutes}m{seconds % 60}s",
            _ when minutes < 180 => $"{minutes}m",
            _ when hours < 8 => minutes % 60 == 0 ? $"{hours}h" : $"{hours}h{minutes % 60}m",
            _ when hours < 48 => $"{hours}h",
            _ when hours < 192 => hours % 24 == 0 ? $"{days}d" : $"{days}d{hours % 24}h",
            _ when days < 365 * 2 => $"{days}d",
            _ when days < 365 * 8 => days % 365 == 0 ? $"{years}y" : $"{years}y{days % 365}d",
            _ => years.ToString(CultureInfo.InvariantCulture) + "y",
        };
    }
}
