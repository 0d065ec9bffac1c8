using ApiKeyOperator.Api;
using CsCheck;
using Xunit;

namespace ApiKeyOperator.Tests.Cli;

/// <summary>Durations in help, CLI output and log messages: the shortest Go-style form, read back exactly.</summary>
public sealed class CompactDurationTests
{
    [Theory]
    [InlineData(0L, "0s")]
    [InlineData(15 * TimeSpan.TicksPerSecond, "15s")]
    [InlineData(10 * TimeSpan.TicksPerMinute, "10m")]
    [InlineData(90 * TimeSpan.TicksPerMinute, "1h30m")]
    [InlineData(10 * TimeSpan.TicksPerHour, "10h")]
    [InlineData(36 * TimeSpan.TicksPerHour, "36h")]
    [InlineData(400 * TimeSpan.TicksPerDay, "400d")]
    [InlineData(8 * TimeSpan.TicksPerMillisecond * 100, "800ms")]
    [InlineData(TimeSpan.TicksPerHour + 5 * TimeSpan.TicksPerSecond, "1h5s")]
    [InlineData(TimeSpan.TicksPerSecond * 3 / 2, "1.5s")]
    [InlineData(-30 * TimeSpan.TicksPerSecond, "-30s")]
    [InlineData(-2 * TimeSpan.TicksPerDay, "-2d")]
    public void Formats_without_zero_units(long ticks, string expected)
    {
        Assert.Equal(expected, GoDuration.FormatCompact(TimeSpan.FromTicks(ticks)));
    }

    [Fact]
    public void Every_duration_reads_back_to_the_same_value()
    {
        Gen.Long[-100_000L * TimeSpan.TicksPerDay, 100_000L * TimeSpan.TicksPerDay].Sample(ticks =>
        {
            var value = TimeSpan.FromTicks(ticks);
            var text = GoDuration.FormatCompact(value);
            return GoDuration.TryParse(text, out var parsed, out _) && parsed == value && !text.Contains(':', StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Extremes_of_gos_range_read_back()
    {
        // Go's range is ±2^63 ns (about 292 years), narrower than TimeSpan's.
        var longest = TimeSpan.FromTicks(long.MaxValue / 100);
        foreach (var value in new[] { longest, -longest, TimeSpan.FromTicks(1), TimeSpan.FromTicks(-1) })
        {
            var text = GoDuration.FormatCompact(value);
            Assert.True(GoDuration.TryParse(text, out var parsed, out var error), $"{text}: {error}");
            Assert.Equal(value, parsed);
        }
    }
}
