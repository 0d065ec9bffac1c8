using ApiKeyOperator.Verification.Tokens;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace ApiKeyOperator.Tests.Verification.Providers;

public sealed class ClientFailureLimiterTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Burst_then_one_attempt_per_refill_period()
    {
        var limiter = new ClientFailureLimiter(_time, burst: 3, TimeSpan.FromSeconds(2), capacity: 10);

        for (var i = 0; i < 3; i++)
        {
            Assert.True(limiter.TryAcquire("ak_00000001", out _));
        }

        Assert.False(limiter.TryAcquire("ak_00000001", out var retryAfter));
        Assert.Equal(TimeSpan.FromSeconds(2), retryAfter);
        Assert.True(limiter.TryAcquire("ak_00000002", out _));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(limiter.TryAcquire("ak_00000001", out retryAfter));
        Assert.Equal(TimeSpan.FromSeconds(1), retryAfter);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(limiter.TryAcquire("ak_00000001", out _));
        Assert.False(limiter.TryAcquire("ak_00000001", out _));
    }

    [Fact]
    public void Refunded_attempts_never_count()
    {
        var limiter = new ClientFailureLimiter(_time, burst: 2, TimeSpan.FromSeconds(1), capacity: 10);

        for (var i = 0; i < 100; i++)
        {
            Assert.True(limiter.TryAcquire("ak_00000001", out _));
            limiter.Refund("ak_00000001");
        }
    }

    [Fact]
    public void Concurrent_attempts_never_overshoot_the_burst()
    {
        var limiter = new ClientFailureLimiter(_time, burst: 10, TimeSpan.FromHours(1), capacity: 10);
        var granted = 0;

        Parallel.For(0, 1000, _ =>
        {
            if (limiter.TryAcquire("ak_00000001", out TimeSpan _))
            {
                Interlocked.Increment(ref granted);
            }
        });

        Assert.Equal(10, granted);
    }

    [Fact]
    public void Memory_is_bounded_idle_ids_are_swept_and_busy_ones_kept()
    {
        var limiter = new ClientFailureLimiter(_time, burst: 2, TimeSpan.FromSeconds(1), capacity: 3);
        limiter.TryAcquire("ak_0000000a", out _);
        limiter.TryAcquire("ak_0000000a", out _);
        for (var i = 0; i < 50; i++)
        {
            limiter.TryAcquire($"ak_{i:x8}", out _);
        }

        Assert.True(limiter.Tracked <= 3);
        Assert.False(limiter.TryAcquire("ak_0000000a", out _));
        _time.Advance(TimeSpan.FromSeconds(5));
        limiter.TryAcquire("ak_ffffffff", out _);
        Assert.True(limiter.Tracked <= 3);
    }
}
