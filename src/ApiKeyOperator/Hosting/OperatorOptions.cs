using System.CommandLine;
using Microsoft.Extensions.Logging;

namespace ApiKeyOperator.Hosting;

/// <summary>Everything the <c>run</c> command's flags decide (kubebuilder's names and defaults).</summary>
public sealed record OperatorOptions
{
    public string? Kubeconfig { get; init; }

    /// <summary><c>--namespace</c> as given: the namespace, or comma-separated namespaces, every informer watches; null for all.</summary>
    public string? Namespace { get; init; }

    /// <summary>The namespaces of <see cref="Namespace"/>; empty for all (a namespaced install lists its own).</summary>
    public IReadOnlyList<string> WatchNamespaces =>
        Namespace is null ? [] : [.. Namespace.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal)];

    public bool LeaderElect { get; init; }

    public string? LeaderElectionNamespace { get; init; }

    public string LeaderElectionId { get; init; } = "apikeyoperator.io";

    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Where /metrics is served; null disables it (flag value <c>0</c>).</summary>
    public string? MetricsBindAddress { get; init; } = ":8080";

    /// <summary>Where /healthz and /readyz are served; null disables them (flag value <c>0</c>).</summary>
    public string? HealthProbeBindAddress { get; init; } = ":8081";

    public int MaxConcurrentReconciles { get; init; } = 4;

    /// <summary>Informer resync period (controller-runtime's SyncPeriod): every object is reconciled again this often.</summary>
    public TimeSpan SyncPeriod { get; init; } = TimeSpan.FromHours(10);

    public LogLevel LogLevel { get; init; } = LogLevel.Information;

    /// <summary><c>json</c> (default) or <c>text</c>.</summary>
    public string LogFormat { get; init; } = "json";

    /// <summary>
    /// Client-side limit on API requests per second (client-go's rest.Config QPS); 0 turns the limit off. High
    /// enough that a cold start issuing thousands of keys is not held back, low enough to bound a runaway loop.
    /// Measured (`issuance --apikeys 1000`): issuing runs at about 500 requests/s unthrottled; the former default of
    /// 200 made it 2.5 times slower (24.5 s against 9.9 s).
    /// </summary>
    public double KubeApiQps { get; init; } = 1000;

    /// <summary>Requests allowed at once above <see cref="KubeApiQps"/> (client-go's Burst).</summary>
    public int KubeApiBurst { get; init; } = 2000;

    /// <summary>How long a graceful stop waits for reconciles in flight before cancelling them.</summary>
    public TimeSpan GracefulShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The parsed command line, for the flags modules add (<see cref="IOperatorModule.Options"/>).</summary>
    public ParseResult? CommandLine { get; init; }

    /// <summary>Value of a module's flag (its default when not given).</summary>
    public T? GetValue<T>(Option<T> option) =>
        CommandLine is { } commandLine
            ? commandLine.GetValue(option)
            : throw new InvalidOperationException($"{option.Name}: options were not parsed with the module that declares this flag");
}
