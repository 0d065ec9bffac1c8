namespace ApiKeyOperator.Hosting;

/// <summary>
/// Whether this replica does the leader-only work now: always without <c>--leader-elect</c>, otherwise while it
/// holds the Lease. Components that only the leader may run (cache-derived gauges, audit re-sends) read
/// <see cref="IsLeading"/> or follow <see cref="Changed"/>.
/// </summary>
public sealed class LeaderElectionStatus
{
    private int _leading;

    public LeaderElectionStatus(OperatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _leading = options.LeaderElect ? 0 : 1;
    }

    /// <summary>Raised with the new value whenever leadership starts or ends.</summary>
    public event Action<bool>? Changed;

    public bool IsLeading => Volatile.Read(ref _leading) == 1;

    internal void Set(bool leading)
    {
        if (Interlocked.Exchange(ref _leading, leading ? 1 : 0) != (leading ? 1 : 0))
        {
            Changed?.Invoke(leading);
        }
    }
}
