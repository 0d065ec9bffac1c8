using ApiKeyOperator.Hosting;
using Xunit;

namespace ApiKeyOperator.Tests.Runtime;

public sealed class LeaderElectionRulesTests
{
    private const string Me = "me_1";
    private const string Other = "other_2";
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan RenewDeadline = TimeSpan.FromSeconds(10);
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void No_lease_is_created()
    {
        var step = LeaderElectionRules.Read(new LeaderElectionView(), null, Me, T0, LeaseDuration);

        Assert.Equal(LeaseAction.Create, step.Action);
        Assert.False(step.Next.Leading);
    }

    [Fact]
    public void Our_own_lease_is_renewed_and_taken_back_after_a_lost_renewal()
    {
        var ours = Lease(Me, "5");

        Assert.Equal(LeaseAction.Update, LeaderElectionRules.Read(Leading(T0), ours, Me, T0 + TimeSpan.FromSeconds(2), LeaseDuration).Action);
        // Not leading any more (the renew deadline passed while the API was down), but the Lease still names us.
        Assert.Equal(LeaseAction.Update, LeaderElectionRules.Read(new LeaderElectionView(), ours, Me, T0, LeaseDuration).Action);
    }

    [Fact]
    public void A_released_lease_is_taken_at_once()
    {
        var released = Lease(string.Empty, "9") with { LeaseDurationSeconds = 1 };

        Assert.Equal(LeaseAction.Update, LeaderElectionRules.Read(new LeaderElectionView(), released, Me, T0, LeaseDuration).Action);
    }

    [Fact]
    public void Another_holders_lease_is_taken_over_only_after_it_stayed_unchanged_for_its_duration()
    {
        var theirs = Lease(Other, "7");
        var first = LeaderElectionRules.Read(new LeaderElectionView(), theirs, Me, T0, LeaseDuration);
        Assert.Equal(LeaseAction.Wait, first.Action);

        var almost = LeaderElectionRules.Read(first.Next, theirs, Me, T0 + LeaseDuration - TimeSpan.FromMilliseconds(1), LeaseDuration);
        Assert.Equal(LeaseAction.Wait, almost.Action);

        // A renewal (new resourceVersion) starts the wait again, whatever times the Lease itself carries.
        var renewed = theirs with { ResourceVersion = "8", RenewTime = T0.UtcDateTime.AddHours(-3) };
        var afterRenewal = LeaderElectionRules.Read(almost.Next, renewed, Me, T0 + LeaseDuration, LeaseDuration);
        Assert.Equal(LeaseAction.Wait, afterRenewal.Action);
        Assert.Equal(LeaseAction.Wait, LeaderElectionRules.Read(afterRenewal.Next, renewed, Me, T0 + LeaseDuration + LeaseDuration - TimeSpan.FromMilliseconds(1), LeaseDuration).Action);
        Assert.Equal(LeaseAction.Update, LeaderElectionRules.Read(afterRenewal.Next, renewed, Me, T0 + LeaseDuration + LeaseDuration, LeaseDuration).Action);
    }

    [Fact]
    public void The_duration_written_in_the_lease_counts_over_the_local_one()
    {
        var shortLease = Lease(Other, "3") with { LeaseDurationSeconds = 2 };
        var first = LeaderElectionRules.Read(new LeaderElectionView(), shortLease, Me, T0, LeaseDuration);

        Assert.Equal(LeaseAction.Update, LeaderElectionRules.Read(first.Next, shortLease, Me, T0 + TimeSpan.FromSeconds(2), LeaseDuration).Action);
    }

    [Fact]
    public void A_leader_that_reads_another_holder_stops_leading_at_once()
    {
        var step = LeaderElectionRules.Read(Leading(T0), Lease(Other, "11"), Me, T0 + TimeSpan.FromSeconds(1), LeaseDuration);

        Assert.False(step.Next.Leading);
        Assert.Equal(LeaseAction.Wait, step.Action);
    }

    [Fact]
    public void A_leader_keeps_leading_through_failures_until_the_renew_deadline()
    {
        var view = Leading(T0);

        Assert.True(LeaderElectionRules.Expire(view, T0 + RenewDeadline - TimeSpan.FromMilliseconds(1), RenewDeadline).Leading);
        Assert.False(LeaderElectionRules.Expire(view, T0 + RenewDeadline, RenewDeadline).Leading);
    }

    [Fact]
    public void Leadership_runs_from_the_start_of_the_attempt_that_wrote_the_lease()
    {
        var written = Lease(Me, "12");
        var start = T0;
        var answered = T0 + TimeSpan.FromSeconds(3);

        var view = LeaderElectionRules.Written(new LeaderElectionView(), written, start, answered, RenewDeadline);

        Assert.True(view.Leading);
        Assert.Equal(start + RenewDeadline, LeaderElectionRules.Deadline(view, RenewDeadline));
        Assert.Equal(answered, view.ObservedAt);
    }

    [Fact]
    public void A_write_answered_after_the_renew_deadline_does_not_make_a_leader()
    {
        var view = LeaderElectionRules.Written(new LeaderElectionView(), Lease(Me, "13"), T0, T0 + RenewDeadline, RenewDeadline);

        Assert.False(view.Leading);
    }

    [Fact]
    public void A_renewal_keeps_the_acquire_time_and_a_takeover_counts_a_transition()
    {
        var acquired = T0.UtcDateTime.AddMinutes(-30);
        var ours = Lease(Me, "20") with { AcquireTime = acquired, Transitions = 4 };
        var theirs = Lease(Other, "21") with { AcquireTime = acquired, Transitions = 4 };
        var now = T0;

        var renewal = LeaderElectionRules.Desired(ours, Me, now, LeaseDuration);
        var takeover = LeaderElectionRules.Desired(theirs, Me, now, LeaseDuration);
        var created = LeaderElectionRules.Desired(null, Me, now, LeaseDuration);

        Assert.Equal((Me, acquired, now.UtcDateTime, 15, 4, "20"), (renewal.Holder, renewal.AcquireTime, renewal.RenewTime, renewal.LeaseDurationSeconds, renewal.Transitions, renewal.ResourceVersion));
        Assert.Equal((Me, now.UtcDateTime, 5, "21"), (takeover.Holder, takeover.AcquireTime, takeover.Transitions, takeover.ResourceVersion));
        Assert.Equal((Me, 0, (string?)null), (created.Holder, created.Transitions, created.ResourceVersion));
    }

    private static LeaderElectionLease Lease(string holder, string resourceVersion) =>
        new(holder, T0.UtcDateTime, T0.UtcDateTime, 15, 0, resourceVersion);

    private static LeaderElectionView Leading(DateTimeOffset renewedAt) =>
        new() { Leading = true, RenewedAt = renewedAt, Observed = Lease(Me, "1"), ObservedAt = renewedAt };
}
