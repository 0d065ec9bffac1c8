using System.CommandLine;
using System.CommandLine.Parsing;
using ApiKeyOperator.Cli;
using Microsoft.Extensions.Logging;

namespace ApiKeyOperator.Hosting;

/// <summary>The flags of <c>run</c> (kubebuilder's names; durations are Go durations).</summary>
internal sealed class RunCommandOptions
{
    private static readonly OperatorOptions Defaults = new();

    private readonly Option<string?> _kubeconfig = new("--kubeconfig")
    {
        Description = "Path to a kubeconfig; default $KUBECONFIG, ~/.kube/config, then in-cluster configuration",
    };

    private readonly Option<string?> _namespace = new("--namespace") { Description = "Namespace to watch, or several separated by commas (a namespaced install); default all namespaces" };

    private readonly Option<bool> _leaderElect = new("--leader-elect") { Description = "Enable leader election; only the leader reconciles" };

    private readonly Option<string?> _leaderElectionNamespace = new("--leader-election-namespace")
    {
        Description = "Namespace of the leader election Lease; default --namespace, the in-cluster namespace, or 'default'",
    };

    private readonly Option<string> _leaderElectionId = new("--leader-election-id")
    {
        Description = "Name of the leader election Lease",
        DefaultValueFactory = _ => Defaults.LeaderElectionId,
    };

    private readonly Option<TimeSpan> _leaseDuration = Duration("--leader-elect-lease-duration", "How long followers wait before taking over an unrenewed lease", Defaults.LeaseDuration);

    private readonly Option<TimeSpan> _renewDeadline = Duration("--leader-elect-renew-deadline", "How long the leader retries renewing before giving up leadership", Defaults.RenewDeadline);

    private readonly Option<TimeSpan> _retryPeriod = Duration("--leader-elect-retry-period", "Interval between attempts to acquire or renew the lease", Defaults.RetryPeriod);

    private readonly Option<string> _metricsBindAddress = new("--metrics-bind-address")
    {
        Description = "Address of the /metrics endpoint; '0' disables it",
        HelpName = "host:port",
        DefaultValueFactory = _ => Defaults.MetricsBindAddress!,
    };

    private readonly Option<string> _healthProbeBindAddress = new("--health-probe-bind-address")
    {
        Description = "Address of the /healthz and /readyz endpoints; '0' disables them",
        HelpName = "host:port",
        DefaultValueFactory = _ => Defaults.HealthProbeBindAddress!,
    };

    private readonly Option<int> _maxConcurrentReconciles = new("--max-concurrent-reconciles")
    {
        Description = "Workers per controller",
        DefaultValueFactory = _ => Defaults.MaxConcurrentReconciles,
    };

    private readonly Option<TimeSpan> _syncPeriod = Duration(
        "--sync-period", "How often every watched object is reconciled again without a change", Defaults.SyncPeriod);

    private readonly Option<LogLevel> _logLevel = new("--log-level", "--zap-log-level")
    {
        Description = "Least severe level logged: debug, info, warn or error [default: info]",
        HelpName = "level",
        CustomParser = ParseLogLevel,
    };

    private readonly Option<string> _logFormat = new Option<string>("--log-format", "--zap-encoder")
    {
        Description = "json: one flat object per line with controller-runtime's keys; text (also 'console'): for a terminal, and the default when stdout is one",
        HelpName = "json|text",
        DefaultValueFactory = _ => Console.IsOutputRedirected ? Defaults.LogFormat : "text",
        CustomParser = ParseLogFormat,
    };

    private readonly Option<TimeSpan> _gracefulShutdownTimeout = Duration(
        "--graceful-shutdown-timeout", "How long a stop waits for reconciles in flight", Defaults.GracefulShutdownTimeout);

    private readonly Option<double> _kubeApiQps = new("--kube-api-qps")
    {
        Description = "Most API requests per second this operator sends (a token bucket); 0 turns the limit off",
        DefaultValueFactory = _ => Defaults.KubeApiQps,
        CustomParser = ParseQps,
    };

    private readonly Option<int> _kubeApiBurst = new("--kube-api-burst")
    {
        Description = "API requests allowed at once above --kube-api-qps",
        DefaultValueFactory = _ => Defaults.KubeApiBurst,
    };

    public RunCommandOptions()
    {
        _kubeApiBurst.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError("--kube-api-burst must be at least 1");
            }
        });
        _maxConcurrentReconciles.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError("--max-concurrent-reconciles must be at least 1");
            }
        });
        foreach (var address in new[] { _metricsBindAddress, _healthProbeBindAddress })
        {
            address.Validators.Add(result =>
            {
                try
                {
                    BindAddress.Parse(result.GetValueOrDefault<string>());
                }
                catch (FormatException e)
                {
                    result.AddError($"{result.Option.Name}: {e.Message}");
                }
            });
        }
    }

    /// <summary>Adds the runtime's flags and those of <paramref name="modules"/> to <paramref name="command"/>.</summary>
    public void AddTo(Command command, IReadOnlyList<IOperatorModule> modules)
    {
        Option[] all =
        [
            _kubeconfig, _namespace, _leaderElect, _leaderElectionNamespace, _leaderElectionId, _leaseDuration, _renewDeadline,
            _retryPeriod, _metricsBindAddress, _healthProbeBindAddress, _maxConcurrentReconciles, _syncPeriod, _logLevel, _logFormat, _gracefulShutdownTimeout,
            _kubeApiQps, _kubeApiBurst,
        ];
        foreach (var option in all.Concat(modules.SelectMany(m => m.Options)))
        {
            command.Options.Add(option);
        }
    }

    public OperatorOptions Bind(ParseResult result) => new()
    {
        Kubeconfig = result.GetValue(_kubeconfig),
        Namespace = result.GetValue(_namespace),
        LeaderElect = result.GetValue(_leaderElect),
        LeaderElectionNamespace = result.GetValue(_leaderElectionNamespace),
        LeaderElectionId = result.GetValue(_leaderElectionId)!,
        LeaseDuration = result.GetValue(_leaseDuration),
        RenewDeadline = result.GetValue(_renewDeadline),
        RetryPeriod = result.GetValue(_retryPeriod),
        MetricsBindAddress = NullIfOff(result.GetValue(_metricsBindAddress)),
        HealthProbeBindAddress = NullIfOff(result.GetValue(_healthProbeBindAddress)),
        MaxConcurrentReconciles = result.GetValue(_maxConcurrentReconciles),
        SyncPeriod = result.GetValue(_syncPeriod),
        LogLevel = result.GetResult(_logLevel) is null ? Defaults.LogLevel : result.GetValue(_logLevel),
        LogFormat = result.GetValue(_logFormat)!,
        GracefulShutdownTimeout = result.GetValue(_gracefulShutdownTimeout),
        KubeApiQps = result.GetValue(_kubeApiQps),
        KubeApiBurst = result.GetValue(_kubeApiBurst),
        CommandLine = result,
    };

    private static string? NullIfOff(string? address) => address is null or "0" ? null : address;

    private static Option<TimeSpan> Duration(string name, string description, TimeSpan defaultValue) =>
        DurationOption.Create(name, description, defaultValue, TimeSpan.Zero);

    private static double ParseQps(ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
        if (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var qps)
            && double.IsFinite(qps) && qps >= 0)
        {
            return qps;
        }

        result.AddError($"--kube-api-qps: '{text}' is not a number of requests per second, at least 0 (0: no limit)");
        return Defaults.KubeApiQps;
    }

    private static string ParseLogFormat(ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value.ToLowerInvariant() : string.Empty;
        switch (text)
        {
            case "json":
                return "json";
            case "text" or "console":
                return "text";
            default:
                result.AddError($"--log-format: '{text}' is not one of json, text");
                return Defaults.LogFormat;
        }
    }

    private static LogLevel ParseLogLevel(ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value.ToLowerInvariant() : string.Empty;
        switch (text)
        {
            case "debug":
                return LogLevel.Debug;
            case "info" or "information":
                return LogLevel.Information;
            case "warn" or "warning":
                return LogLevel.Warning;
            case "error":
                return LogLevel.Error;
            case "trace":
                return LogLevel.Trace;
            default:
                result.AddError($"--log-level: '{text}' is not one of debug, info, warn, error");
                return LogLevel.Information;
        }
    }
}
