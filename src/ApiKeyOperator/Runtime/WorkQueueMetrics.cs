using System.Collections.Concurrent;
using Prometheus;

namespace ApiKeyOperator.Runtime;

/// <summary>client-go's workqueue metrics (label <c>name</c>) on the host's registry.</summary>
public sealed class WorkQueueMetrics
{
    private static readonly double[] DurationBuckets = Histogram.ExponentialBuckets(1e-8, 10, 11);
    private readonly ConcurrentDictionary<WorkQueue, byte> _queues = new();
    private readonly Gauge _depth;
    private readonly Counter _adds;
    private readonly Histogram _queueDuration;
    private readonly Histogram _workDuration;
    private readonly Counter _retries;
    private readonly Gauge _unfinished;
    private readonly Gauge _longest;

    public WorkQueueMetrics(CollectorRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var factory = Metrics.WithCustomRegistry(registry);
        string[] labels = ["name"];
        _depth = factory.CreateGauge("workqueue_depth", "Current depth of workqueue", labels);
        _adds = factory.CreateCounter("workqueue_adds_total", "Total number of adds handled by workqueue", labels);
        _queueDuration = factory.CreateHistogram("workqueue_queue_duration_seconds", "How long in seconds an item stays in workqueue before being requested",
            labels, new HistogramConfiguration { Buckets = DurationBuckets });
        _workDuration = factory.CreateHistogram("workqueue_work_duration_seconds", "How long in seconds processing an item from workqueue takes",
            labels, new HistogramConfiguration { Buckets = DurationBuckets });
        _retries = factory.CreateCounter("workqueue_retries_total", "Total number of retries handled by workqueue", labels);
        _unfinished = factory.CreateGauge("workqueue_unfinished_work_seconds",
            "How many seconds of work has been done that is in progress and hasn't been observed by work_duration", labels);
        _longest = factory.CreateGauge("workqueue_longest_running_processor_seconds",
            "How many seconds has the longest running processor for workqueue been running", labels);
        registry.AddBeforeCollectCallback(UpdateInFlight);
    }

    internal void Track(WorkQueue queue)
    {
        _queues[queue] = 0;
        _depth.WithLabels(queue.Name).Set(0);
        _adds.WithLabels(queue.Name);
        _retries.WithLabels(queue.Name);
    }

    internal void Untrack(WorkQueue queue) => _queues.TryRemove(queue, out _);

    internal void Added(string name) => _adds.WithLabels(name).Inc();

    internal void Depth(string name, int depth) => _depth.WithLabels(name).Set(depth);

    internal void QueueDuration(string name, double seconds) => _queueDuration.WithLabels(name).Observe(seconds);

    internal void WorkDuration(string name, double seconds) => _workDuration.WithLabels(name).Observe(seconds);

    internal void Retried(string name) => _retries.WithLabels(name).Inc();

    private void UpdateInFlight()
    {
        foreach (var queue in _queues.Keys)
        {
            var (unfinished, longest) = queue.InFlightSeconds();
            _unfinished.WithLabels(queue.Name).Set(unfinished);
            _longest.WithLabels(queue.Name).Set(longest);
        }
    }
}
