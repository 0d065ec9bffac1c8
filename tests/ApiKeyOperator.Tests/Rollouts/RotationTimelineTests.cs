using ApiKeyOperator.Rollouts;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace ApiKeyOperator.Tests.Rollouts;

public sealed class RotationTimelineTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 14, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Old_key_is_revoked_exactly_one_grace_period_after_rollout_and_not_a_tick_before()
    {
        var clock = new FakeTimeProvider(Start);
        var rolling = clock.GetUtcNow().UtcDateTime;
        clock.Advance(TimeSpan.FromMinutes(3));
        var timeline = new RotationTimeline(rolling, TimeSpan.FromMinutes(10), clock.GetUtcNow().UtcDateTime, TimeSpan.FromHours(1));

        Assert.Equal(rolling.AddMinutes(63), timeline.RevokeOldKeyAt);
        Assert.False(timeline.GraceOver(clock.GetUtcNow().UtcDateTime));
        Assert.Equal(TimeSpan.FromHours(1), timeline.NextWakeUp(clock.GetUtcNow().UtcDateTime));

        clock.Advance(TimeSpan.FromHours(1) - TimeSpan.FromTicks(1));
        Assert.False(timeline.GraceOver(clock.GetUtcNow().UtcDateTime));
        Assert.Equal(TimeSpan.FromTicks(1), timeline.NextWakeUp(clock.GetUtcNow().UtcDateTime));

        clock.Advance(TimeSpan.FromTicks(1));
        Assert.True(timeline.GraceOver(clock.GetUtcNow().UtcDateTime));
        Assert.Equal(TimeSpan.Zero, timeline.NextWakeUp(clock.GetUtcNow().UtcDateTime));
    }

    [Fact]
    public void Zero_grace_period_revokes_as_soon_as_everything_is_ready()
    {
        var now = Start.UtcDateTime;
        var timeline = new RotationTimeline(now.AddMinutes(-2), TimeSpan.FromMinutes(10), now, TimeSpan.Zero);

        Assert.True(timeline.GraceOver(now));
        Assert.Equal(now, timeline.RevokeOldKeyAt);
    }

    [Fact]
    public void Rollout_fails_at_the_deadline_and_wakes_up_for_it_while_rolling()
    {
        var clock = new FakeTimeProvider(Start);
        var rolling = clock.GetUtcNow().UtcDateTime;
        var timeline = new RotationTimeline(rolling, TimeSpan.FromMinutes(10), RolledOutAt: null, TimeSpan.FromHours(1));

        Assert.Null(timeline.RevokeOldKeyAt);
        Assert.False(timeline.GraceOver(rolling.AddYears(1)));
        Assert.Equal(TimeSpan.FromMinutes(10), timeline.NextWakeUp(rolling));

        clock.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));
        Assert.False(timeline.RolloutOverdue(clock.GetUtcNow().UtcDateTime));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(timeline.RolloutOverdue(clock.GetUtcNow().UtcDateTime));

        var done = timeline with { RolledOutAt = rolling.AddMinutes(5) };
        Assert.False(done.RolloutOverdue(rolling.AddMinutes(30)));
    }
}
