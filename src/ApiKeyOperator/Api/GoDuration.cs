using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace ApiKeyOperator.Api;

/// <summary>
/// Go's <c>time.ParseDuration</c> grammar (<c>1h30m</c>, <c>500ms</c>, <c>1.5h</c>, <c>0</c>) plus <c>d</c>
/// (24 h), as Kubernetes users write durations. Precision is the TimeSpan tick (100 ns); the range is Go's
/// (±2^63 ns, about 292 years).
/// </summary>
public static class GoDuration
{
    private const long NanosecondsPerTick = 100;

    private static readonly (string Unit, decimal Nanoseconds)[] Units =
    [
        ("ns", 1m),
        ("us", 1_000m),
        ("\u00b5s", 1_000m), // micro sign, as Go accepts
        ("\u03bcs", 1_000m), // Greek small mu, as Go accepts
        ("ms", 1_000_000m),
        ("s", 1_000_000_000m),
        ("m", 60m * 1_000_000_000m),
        ("h", 3_600m * 1_000_000_000m),
        ("d", 86_400m * 1_000_000_000m),
    ];

    public static TimeSpan Parse(string text) =>
        TryParse(text, out var value, out var error) ? value : throw new FormatException(error);

    public static bool TryParse(string? text, out TimeSpan value) => TryParse(text, out value, out _);

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> names the input and the problem.</summary>
    public static bool TryParse(string? text, out TimeSpan value, [NotNullWhen(false)] out string? error)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text))
        {
            error = "invalid duration \"\": empty";
            return false;
        }

        var i = 0;
        var negative = false;
        if (text[0] is '-' or '+')
        {
            negative = text[0] == '-';
            i++;
        }

        if (text.AsSpan(i) is "0")
        {
            error = null;
            return true;
        }

        if (i == text.Length)
        {
            return Fail(text, "missing number", out error);
        }

        decimal total = 0;
        while (i < text.Length)
        {
            var numberStart = i;
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
            {
                i++;
            }

            var number = text[numberStart..i];
            if (number.Length == 0 || number == "." || number.Count(c => c == '.') > 1)
            {
                return Fail(text, "expected a number", out error);
            }

            // More digits than a decimal holds cannot be a duration in range anyway.
            if (number.Length > 24 || !decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
            {
                return Fail(text, "out of range", out error);
            }

            var unitStart = i;
            while (i < text.Length && !char.IsAsciiDigit(text[i]) && text[i] != '.')
            {
                i++;
            }

            var unit = text[unitStart..i];
            if (unit.Length == 0)
            {
                return Fail(text, "missing unit (one of ns, us, ms, s, m, h, d)", out error);
            }

            var factor = Array.Find(Units, u => u.Unit == unit).Nanoseconds;
            if (factor == 0)
            {
                return Fail(text, $"unknown unit \"{unit}\" (one of ns, us, ms, s, m, h, d)", out error);
            }

            total += amount * factor;
            if (total > long.MaxValue)
            {
                return Fail(text, "out of range", out error);
            }
        }

        var ticks = (long)decimal.Truncate(total / NanosecondsPerTick);
        value = TimeSpan.FromTicks(negative ? -ticks : ticks);
        error = null;
        return true;
    }

    /// <summary>
    /// Formats as Go's <c>Duration.String()</c> does (<c>1h30m0s</c>, <c>500ms</c>, <c>0s</c>), which Go and
    /// <see cref="Parse"/> read back to the same value. Days are not used, as in Go.
    /// </summary>
    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero)
        {
            return "0s";
        }

        var builder = new StringBuilder();
        if (value < TimeSpan.Zero)
        {
            builder.Append('-');
        }

        // UInt128 so that TimeSpan.MinValue negates without overflow.
        var nanoseconds = (UInt128)(value.Ticks < 0 ? -(Int128)value.Ticks : value.Ticks) * NanosecondsPerTick;
        const ulong second = 1_000_000_000;
        if (nanoseconds < second)
        {
            var (unit, scale) = nanoseconds < 1_000 ? ("ns", 1UL)
                : nanoseconds < 1_000_000 ? ("µs", 1_000UL)
                : ("ms", 1_000_000UL);
            AppendFraction(builder, nanoseconds, scale);
            return builder.Append(unit).ToString();
        }

        var hours = nanoseconds / (3_600 * second);
        var minutes = nanoseconds / (60 * second) % 60;
        var secondsPart = nanoseconds % (60 * second);
        if (hours > 0)
        {
            builder.Append(CultureInfo.InvariantCulture, $"{hours}h");
        }

        if (hours > 0 || minutes > 0)
        {
            builder.Append(CultureInfo.InvariantCulture, $"{minutes}m");
        }

        AppendFraction(builder, secondsPart, second);
        return builder.Append('s').ToString();
    }

    /// <summary>
    /// The shortest form <see cref="Parse"/> reads back to the same value, for help texts, CLI output and log
    /// messages: zero units are left out (<c>10m</c>, <c>1h30m</c>, <c>800ms</c>) and a whole number of days is
    /// written in days (<c>400d</c>). Go's own parser does not read <c>d</c>; every duration field and flag of this
    /// project does.
    /// </summary>
    public static string FormatCompact(TimeSpan value)
    {
        if (value == TimeSpan.Zero)
        {
            return "0s";
        }

        var sign = value < TimeSpan.Zero ? "-" : "";
        var ticks = value.Ticks < 0 ? -(Int128)value.Ticks : value.Ticks;
        if (ticks % TimeSpan.TicksPerDay == 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{sign}{ticks / TimeSpan.TicksPerDay}d");
        }

        if (ticks < TimeSpan.TicksPerSecond)
        {
            return Format(value);
        }

        var builder = new StringBuilder(sign);
        var hours = ticks / TimeSpan.TicksPerHour;
        var minutes = ticks / TimeSpan.TicksPerMinute % 60;
        var rest = ticks % TimeSpan.TicksPerMinute;
        if (hours > 0)
        {
            builder.Append(CultureInfo.InvariantCulture, $"{hours}h");
        }

        if (minutes > 0)
        {
            builder.Append(CultureInfo.InvariantCulture, $"{minutes}m");
        }

        if (rest > 0)
        {
            AppendFraction(builder, (UInt128)rest, (ulong)TimeSpan.TicksPerSecond);
            builder.Append('s');
        }

        return builder.ToString();
    }

    private static void AppendFraction(StringBuilder builder, UInt128 value, ulong scale)
    {
        builder.Append(CultureInfo.InvariantCulture, $"{value / scale}");
        var fraction = value % scale;
        if (fraction == 0)
        {
            return;
        }

        var digits = scale.ToString(CultureInfo.InvariantCulture).Length - 1;
        var text = fraction.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0').TrimEnd('0');
        builder.Append('.').Append(text);
    }

    private static bool Fail(string text, string problem, out string error)
    {
        error = $"invalid duration \"{text}\": {problem}";
        return false;
    }
}
