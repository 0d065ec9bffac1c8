using Prometheus;

namespace ApiKeyOperator.Runtime;

/// <summary>controller-runtime's per-controller metrics on the host's registry.</summary>
public sealed class ControllerMetrics
{
    private readonly Counter _total;
    private readonly Counter _errors;
    private readonly Histogram _time;
    private readonly Gauge _maxConcurrent;
    private readonly Gauge _activeWorkers;

    public ControllerMetrics(CollectorRegistry registry)
    {
        var factory = Metrics.WithCustomRegistry(registry);
        _total = factory.CreateCounter("controller_runtime_reconcile_total", "Total number of reconciliations per controller", ["controller", "result"]);
        _errors = factory.CreateCounter("controller_runtime_reconcile_errors_total", "Total number of reconciliation errors per controller", ["controller"]);
        _time = factory.CreateHistogram("controller_runtime_reconcile_time_seconds", "Length of time per reconciliation per controller", ["controller"],
            new HistogramConfiguration { Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60] });
        _maxConcurrent = factory.CreateGauge("controller_runtime_max_concurrent_reconciles", "Maximum number of concurrent reconciles per controller", ["controller"]);
        _activeWorkers = factory.CreateGauge("controller_runtime_active_workers", "Number of currently used workers per controller", ["controller"]);
    }

    internal void Register(string controller, int maxConcurrent)
    {
        _maxConcurrent.WithLabels(controller).Set(maxConcurrent);
        _activeWorkers.WithLabels(controller).Set(0);
        _errors.WithLabels(controller);
        foreach (var result in ReconcileOutcome.All)
        {
            _total.WithLabels(controller, result);
        }
    }

    internal void WorkerStarted(string controller) => _activeWorkers.WithLabels(controller).Inc();

    internal void WorkerStopped(string controller) => _activeWorkers.WithLabels(controller).Dec();

    internal void Reconciled(string controller, string result, double seconds)
    {
        _total.WithLabels(controller, result).Inc();
        _time.WithLabels(controller).Observe(seconds);
        if (result == ReconcileOutcome.Error)
        {
            _errors.WithLabels(controller).Inc();
        }
    }
}
