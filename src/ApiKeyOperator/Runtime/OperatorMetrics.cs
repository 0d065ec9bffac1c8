using Prometheus;

namespace ApiKeyOperator.Runtime;

/// <summary>
/// The host's own Prometheus registry (never the static default one: several hosts share a test process) and the
/// runtime's metric families. Controllers add their own metrics through <see cref="Factory"/>.
/// </summary>
public sealed class OperatorMetrics
{
    public OperatorMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        Factory = Metrics.WithCustomRegistry(Registry);

        // process_* and dotnet_* (CPU, resident memory, GC), as the default registry would have them.
        DotNetStats.Register(Registry);
        WorkQueues = new WorkQueueMetrics(Registry);
        Controllers = new ControllerMetrics(Registry);
        LeaderStatus = Factory.CreateGauge("leader_election_master_status",
            "Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 indicates master.", ["name"]);
        EventsDropped = Factory.CreateCounter("apikey_operator_events_dropped_total",
            "Events not written: the event queue was full, or still held them at the shutdown deadline.");
    }

    public CollectorRegistry Registry { get; }

    public IMetricFactory Factory { get; }

    public WorkQueueMetrics WorkQueues { get; }

    public ControllerMetrics Controllers { get; }

    /// <summary>leader_election_master_status{name}: 1 while this replica holds the lease.</summary>
    public Gauge LeaderStatus { get; }

    /// <summary>apikey_operator_events_dropped_total: exported at 0 from the start, so an alert can use rate().</summary>
    public Counter EventsDropped { get; }

    /// <summary>Writes the text exposition format, as served on /metrics.</summary>
    public Task WriteAsync(Stream destination, CancellationToken cancellationToken) =>
        Registry.CollectAndExportAsTextAsync(destination, cancellationToken);
}
