using KubeSim.Http;
using Xunit;

namespace KubeSim.Tests.Http;

public sealed class HumanDurationTests
{
    [Theory]
    [InlineData(-5, "<invalid>")]
    [InlineData(-0.5, "0s")]
    [InlineData(0, "0s")]
    [InlineData(119, "119s")]
    [InlineData(125, "2m5s")]
    [InlineData(300, "5m")]
    [InlineData(1800, "30m")]
    [InlineData(3 * 3600 + 120, "3h2m")]
    [InlineData(5 * 3600, "5h")]
    [InlineData(20 * 3600 + 59, "20h")]
    [InlineData(3 * 86400 + 4 * 3600, "3d4h")]
    [InlineData(10 * 86400, "10d")]
    [InlineData(3 * 365 * 86400 + 2 * 86400, "3y2d")]
    [InlineData(9 * 365 * 86400, "9y")]
    public void Formats_like_kubectl(double seconds, string expected) =>
        Assert.Equal(expected, HumanDuration.Format(TimeSpan.FromSeconds(seconds)));
}
