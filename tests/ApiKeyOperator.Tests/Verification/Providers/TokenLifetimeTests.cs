using ApiKeyOperator.Verification.Tokens;
using Xunit;

namespace ApiKeyOperator.Tests.Verification.Providers;

public sealed class TokenLifetimeTests
{
    private static readonly DateTime Now = new(2026, 11, 23, 12, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData(null, null, null, 3600)]
    [InlineData(120, null, null, 120)]
    [InlineData(0, null, null, 60)]
    [InlineData(-5, null, null, 60)]
    [InlineData(int.MaxValue, null, null, 86_400)]
    [InlineData(3600, 90.5, null, 90)]
    [InlineData(3600, null, 30.0, 30)]
    [InlineData(3600, 100.0, 20.0, 20)]
    [InlineData(3600, 0.5, null, 0)]
    [InlineData(3600, -10.0, null, -10)]
    public void Lifetime_is_the_requested_one_clamped_and_cut_at_the_keys_end(int? requested, double? expiresInSeconds, double? revokeInSeconds, int expected)
    {
        var seconds = TokenLifetime.Seconds(requested, Now, Add(expiresInSeconds), Add(revokeInSeconds));

        Assert.Equal(expected, seconds);
    }

    private static DateTime? Add(double? seconds) => seconds is { } s ? Now.AddSeconds(s) : null;
}
