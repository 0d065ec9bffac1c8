using ApiKeyOperator.Api;
using Xunit;

namespace ApiKeyOperator.Tests.Api;

public sealed class LastUsedTests
{
    private static readonly DateTime T0 = new(2026, 11, 23, 14, 0, 0, DateTimeKind.Utc);

    private static ApiKeyStatus Status() => new()
    {
        CurrentKeyId = "aaaaaaaa",
        Keys =
        [
            new KeyRecord { Id = "aaaaaaaa", State = KeyStates.Active },
            new KeyRecord { Id = "bbbbbbbb", State = KeyStates.Retiring, LastUsedAt = T0 },
        ],
    };

    [Fact]
    public void Usage_of_the_current_key_is_mirrored_for_the_printer_column()
    {
        var status = Status();

        Assert.True(LastUsed.Apply(status, new Dictionary<string, DateTime> { ["aaaaaaaa"] = T0.AddMinutes(1) }));

        Assert.Equal(T0.AddMinutes(1), status.Keys![0].LastUsedAt);
        Assert.Equal(T0.AddMinutes(1), status.LastUsedAt);
    }

    [Fact]
    public void Last_used_never_moves_backwards_and_other_keys_do_not_touch_the_mirror()
    {
        var status = Status();

        Assert.False(LastUsed.Apply(status, new Dictionary<string, DateTime> { ["bbbbbbbb"] = T0.AddMinutes(-5), ["cccccccc"] = T0 }));
        Assert.True(LastUsed.Apply(status, new Dictionary<string, DateTime> { ["bbbbbbbb"] = T0.AddMinutes(5) }));

        Assert.Equal(T0.AddMinutes(5), status.Keys![1].LastUsedAt);
        Assert.Null(status.LastUsedAt);
    }
}
