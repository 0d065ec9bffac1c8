using ApiKeyOperator.Rollouts;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace ApiKeyOperator.Tests.Rollouts;

public sealed class RotationTimelineTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 14, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Old_key_is_revoked_exactly_one_grace_period_after_the_grace_period_began()
    {
        var clock = new FakeTimeProvider(Start);
        var timeline = new RotationTimeline(clock.GetUtcNow().UtcDateTime, TimeSpan.FromMinutes(10), TimeSpan.FromHours(1));
        clock.Advance(TimeSpan.FromMinutes(3));
        var allReady = clock.GetUtcNow().UtcDateTime;

        var revokeAt = timeline.RevokeOldKeyAt(allReady);

        Assert.Equal(Start.UtcDateTime.AddMinutes(63), revokeAt);
        clock.Advance(TimeSpan.FromHours(1) - TimeSpan.FromTicks(1));
        Assert.True(clock.GetUtcNow().UtcDateTime < revokeAt);
        clock.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(revokeAt, clock.GetUtcNow().UtcDateTime);
    }

    [Fact]
    public void Zero_grace_period_revokes_as_soon_as_everything_is_ready()
    {
        var now = Start.UtcDateTime;
        var timeline = new RotationTimeline(now.AddMinutes(-2), TimeSpan.FromMinutes(10), TimeSpan.Zero);

        Assert.Equal(now, timeline.RevokeOldKeyAt(now));
    }

    [Fact]
    public void Rollout_is_overdue_at_the_deadline_and_not_a_tick_before_and_the_wake_up_lands_on_it()
    {
        var clock = new FakeTimeProvider(Start);
        var timeline = new RotationTimeline(clock.GetUtcNow().UtcDateTime, TimeSpan.FromMinutes(10), TimeSpan.FromHours(1));

        Assert.Equal(TimeSpan.FromMinutes(10), timeline.UntilRolloutDeadline(clock.GetUtcNow().UtcDateTime));
        clock.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromTicks(1));
        Assert.False(timeline.RolloutOverdue(clock.GetUtcNow().UtcDateTime));
        Assert.Equal(TimeSpan.FromTicks(1), timeline.UntilRolloutDeadline(clock.GetUtcNow().UtcDateTime));
        clock.Advance(TimeSpan.FromTicks(1));
        Assert.True(timeline.RolloutOverdue(clock.GetUtcNow().UtcDateTime));
        Assert.Equal(TimeSpan.Zero, timeline.UntilRolloutDeadline(clock.GetUtcNow().UtcDateTime.AddMinutes(5)));
    }
}
