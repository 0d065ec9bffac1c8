namespace ApiKeyOperator.Rollouts;

/// <summary>
/// The deadlines of one rotation, derived from the timestamps persisted in its status so that an operator
/// restart computes exactly the same instants: the rollout fails once <c>rolloutTimeout</c> has passed since the
/// rotation started, and the old key is revoked <c>gracePeriod</c> after the grace period began (every
/// dependent Ready, and its traffic seen when the traffic gate is on). Unit-tested with a fake clock.
/// </summary>
public sealed record RotationTimeline(DateTime StartedAt, TimeSpan RolloutTimeout, TimeSpan GracePeriod)
{
    public DateTime RolloutDeadline => StartedAt + RolloutTimeout;

    public bool RolloutOverdue(DateTime now) => now >= RolloutDeadline;

    /// <summary>How long until the rollout deadline: when a rolling rotation must look again by itself.</summary>
    public TimeSpan UntilRolloutDeadline(DateTime now) => RolloutDeadline > now ? RolloutDeadline - now : TimeSpan.Zero;

    /// <summary>When the old key may be revoked, for a grace period that began at <paramref name="graceStartedAt"/>.</summary>
    public DateTime RevokeOldKeyAt(DateTime graceStartedAt) => graceStartedAt + GracePeriod;
}
