namespace ApiKeyOperator.Rollouts;

/// <summary>
/// The deadlines of one rotation, derived from the timestamps persisted in its status so that an operator
/// restart computes exactly the same instants. All arithmetic is here so the rules are unit-tested with a
/// fake clock: the rollout fails once <c>rolloutTimeout</c> has passed since rolling started, and the old
/// key is revoked <c>gracePeriod</c> after the moment every dependent was Ready.
/// </summary>
public sealed record RotationTimeline(DateTime RollingStartedAt, TimeSpan RolloutTimeout, DateTime? RolledOutAt, TimeSpan GracePeriod)
{
    public DateTime RolloutDeadline => RollingStartedAt + RolloutTimeout;

    /// <summary>When the old key may be revoked; null until every dependent is Ready.</summary>
    public DateTime? RevokeOldKeyAt => RolledOutAt + GracePeriod;

    public bool RolloutOverdue(DateTime now) => RolledOutAt is null && now >= RolloutDeadline;

    public bool GraceOver(DateTime now) => RevokeOldKeyAt is { } revokeAt && now >= revokeAt;

    /// <summary>How long until the next instant this rotation must act on by itself (watch events aside).</summary>
    public TimeSpan? NextWakeUp(DateTime now)
    {
        var next = RolledOutAt is null ? RolloutDeadline : RevokeOldKeyAt;
        return next is { } at ? (at > now ? at - now : TimeSpan.Zero) : null;
    }
}
