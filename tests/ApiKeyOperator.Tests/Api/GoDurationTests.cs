using ApiKeyOperator.Api;
using Xunit;

namespace ApiKeyOperator.Tests.Api;

public sealed class GoDurationTests
{
    public static TheoryData<string, TimeSpan> Valid => new()
    {
        { "0", TimeSpan.Zero },
        { "0s", TimeSpan.Zero },
        { "1h30m", TimeSpan.FromMinutes(90) },
        { "500ms", TimeSpan.FromMilliseconds(500) },
        { "8760h", TimeSpan.FromHours(8760) },
        { "10m", TimeSpan.FromMinutes(10) },
        { "1.5h", TimeSpan.FromMinutes(90) },
        { ".5s", TimeSpan.FromMilliseconds(500) },
        { "1.s", TimeSpan.FromSeconds(1) },
        { "2h45m30.5s", new TimeSpan(0, 2, 45, 30, 500) },
        { "1us", TimeSpan.FromMicroseconds(1) },
        { "1µs", TimeSpan.FromMicroseconds(1) },
        { "1μs", TimeSpan.FromMicroseconds(1) },
        { "300ns", TimeSpan.FromTicks(3) },
        { "90d", TimeSpan.FromDays(90) },
        { "1d12h", TimeSpan.FromHours(36) },
        { "-1m", TimeSpan.FromMinutes(-1) },
        { "+1m", TimeSpan.FromMinutes(1) },
        { "1m1m", TimeSpan.FromMinutes(2) },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void Parses_valid_durations(string text, TimeSpan expected)
    {
        Assert.Equal(expected, GoDuration.Parse(text));
        Assert.True(GoDuration.TryParse(text, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("1", "missing unit")]
    [InlineData("h", "expected a number")]
    [InlineData("1x", "unknown unit \"x\"")]
    [InlineData("1 h", "unknown unit \" h\"")]
    [InlineData("1H", "unknown unit \"H\"")]
    [InlineData("1.2.3s", "expected a number")]
    [InlineData("-", "missing number")]
    [InlineData(".s", "expected a number")]
    [InlineData("3000000h", "out of range")]
    [InlineData("99999999999999999999999999999h", "out of range")]
    public void Rejects_invalid_durations_naming_the_input(string text, string problem)
    {
        var error = Assert.Throws<FormatException>(() => GoDuration.Parse(text));

        Assert.Contains($"\"{text}\"", error.Message);
        Assert.Contains(problem, error.Message);
        Assert.False(GoDuration.TryParse(text, out _));
    }

    [Theory]
    [InlineData("0s", "0s")]
    [InlineData("1h30m", "1h30m0s")]
    [InlineData("500ms", "500ms")]
    [InlineData("8760h", "8760h0m0s")]
    [InlineData("90d", "2160h0m0s")]
    [InlineData("1.5s", "1.5s")]
    [InlineData("61s", "1m1s")]
    [InlineData("1500us", "1.5ms")]
    [InlineData("100ns", "100ns")]
    [InlineData("-90s", "-1m30s")]
    public void Formats_as_go_does(string text, string expected)
    {
        Assert.Equal(expected, GoDuration.Format(GoDuration.Parse(text)));
    }

    [Theory]
    [MemberData(nameof(Valid))]
    public void Format_round_trips(string text, TimeSpan expected)
    {
        Assert.Equal(expected, GoDuration.Parse(GoDuration.Format(GoDuration.Parse(text))));
    }

    [Fact]
    public void Extremes_format_without_overflow()
    {
        // TimeSpan spans further than Go's ±292 years: formatting must still work, parsing reports the range.
        Assert.Equal("256204778h48m5.4775807s", GoDuration.Format(TimeSpan.MaxValue));
        Assert.Equal("-256204778h48m5.4775808s", GoDuration.Format(TimeSpan.MinValue));
        Assert.False(GoDuration.TryParse(GoDuration.Format(TimeSpan.MaxValue), out _));
    }
}
