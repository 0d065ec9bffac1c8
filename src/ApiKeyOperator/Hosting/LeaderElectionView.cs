namespace ApiKeyOperator.Hosting;

/// <summary>
/// What one replica knows about the election. Times are this replica's clock: a Lease's own timestamps are only
/// compared for change, never against the local clock, so clock skew between nodes cannot shorten a lease.
/// </summary>
internal sealed record LeaderElectionView
{
    /// <summary>This replica believes it holds the Lease (until <see cref="RenewedAt"/> + the renew deadline).</summary>
    public bool Leading { get; init; }

    /// <summary>When leading: the start of the last attempt that wrote the Lease as ours.</summary>
    public DateTimeOffset RenewedAt { get; init; }

    /// <summary>The Lease as last read or written; null when none has been seen.</summary>
    public LeaderElectionLease? Observed { get; init; }

    /// <summary>When this replica first saw <see cref="Observed"/> as it is: another holder's lease runs from here.</summary>
    public DateTimeOffset ObservedAt { get; init; }
}
