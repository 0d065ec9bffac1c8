namespace ApiKeyOperator.Hosting;

/// <summary>
/// The decisions of leader election as pure functions (client-go's leaderelection rules): a replica reads the Lease,
/// decides whether to write it, and leads while its last successful write is younger than the renew deadline. Since
/// the renew deadline is shorter than the lease duration, and a follower only takes over a lease it has seen
/// unchanged for a whole lease duration, two replicas never lead at once. Every API error is just a failed
/// attempt: the caller retries, and only the renew deadline ends leadership.
/// </summary>
internal static class LeaderElectionRules
{
    /// <summary>Decides after reading <paramref name="lease"/> (null: there is none) at <paramref name="now"/>.</summary>
    public static LeaderElectionStep Read(LeaderElectionView view, LeaderElectionLease? lease, string identity, DateTimeOffset now, TimeSpan leaseDuration)
    {
        if (lease is null)
        {
            return new(LeaseAction.Create, view with { Leading = false, Observed = null, ObservedAt = now });
        }

        var next = SameRecord(view.Observed, lease) ? view : view with { Observed = lease, ObservedAt = now };
        if (lease.Holder == identity || string.IsNullOrEmpty(lease.Holder))
        {
            // Ours to renew (or to take back after a failed renewal), or released.
            return new(LeaseAction.Update, next);
        }

        // Another replica holds it: whatever this one believed, it does not lead.
        next = next with { Leading = false };
        var duration = lease.LeaseDurationSeconds is > 0 and var seconds ? TimeSpan.FromSeconds(seconds) : leaseDuration;
        return new(now >= next.ObservedAt + duration ? LeaseAction.Update : LeaseAction.Wait, next);
    }

    /// <summary>The Lease to write after <see cref="Read"/> asked for a create or update.</summary>
    public static LeaderElectionLease Desired(LeaderElectionLease? current, string identity, DateTimeOffset now, TimeSpan leaseDuration)
    {
        var ours = current?.Holder == identity;
        return new(
            identity,
            ours && current!.AcquireTime is { } acquired ? acquired : now.UtcDateTime,
            now.UtcDateTime,
            (int)Math.Ceiling(leaseDuration.TotalSeconds),
            current is null ? 0 : ours ? current.Transitions : current.Transitions + 1,
            current?.ResourceVersion);
    }

    /// <summary>An attempt that began at <paramref name="attemptStart"/> wrote <paramref name="written"/> (the server's answer).</summary>
    public static LeaderElectionView Written(LeaderElectionView view, LeaderElectionLease written, DateTimeOffset attemptStart, DateTimeOffset now, TimeSpan renewDeadline) =>
        Expire(view with { Leading = true, RenewedAt = attemptStart, Observed = written, ObservedAt = now }, now, renewDeadline);

    /// <summary>Ends leadership once the renew deadline has passed without a successful write (after a failed attempt, or before the next).</summary>
    public static LeaderElectionView Expire(LeaderElectionView view, DateTimeOffset now, TimeSpan renewDeadline) =>
        view.Leading && now >= Deadline(view, renewDeadline) ? view with { Leading = false } : view;

    /// <summary>When a leading replica stops leading unless it renews first.</summary>
    public static DateTimeOffset Deadline(LeaderElectionView view, TimeSpan renewDeadline) => view.RenewedAt + renewDeadline;

    /// <summary>
    /// The resourceVersion changes with every write, so it alone tells a renewed lease from one left alone; holder and
    /// renew time also count for servers (and test doubles) that reuse it.
    /// </summary>
    private static bool SameRecord(LeaderElectionLease? seen, LeaderElectionLease current) =>
        seen is not null && seen.ResourceVersion == current.ResourceVersion && seen.Holder == current.Holder && seen.RenewTime == current.RenewTime;
}
