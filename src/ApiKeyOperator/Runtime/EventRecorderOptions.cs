namespace ApiKeyOperator.Runtime;

/// <summary>Identity written into Events, the size of the queue and of the aggregation memory, the per-object spam limit, the flush deadline.</summary>
public sealed record EventRecorderOptions
{
    public const string DefaultComponent = "apikey-operator";

    /// <summary>reportingComponent and source.component.</summary>
    public string Component { get; init; } = DefaultComponent;

    /// <summary>reportingInstance and source.host: this replica.</summary>
    public string Instance { get; init; } = Environment.MachineName;

    /// <summary>Recent Events remembered for aggregation; older ones start a new Event.</summary>
    public int Capacity { get; init; } = 4096;

    /// <summary>Events waiting to be written; more are dropped (and counted) rather than slowing a reconcile.</summary>
    public int QueueCapacity { get; init; } = 4096;

    /// <summary>Events one object may record in a burst (client-go's spam filter: 25).</summary>
    public int SpamBurst { get; init; } = 25;

    /// <summary>How often an object's spam bucket gains back one Event (client-go: one per 5 minutes).</summary>
    public TimeSpan SpamRefill { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long shutdown waits for queued Events to be written.</summary>
    public TimeSpan FlushTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
