using ApiKeyOperator.Hosting.Logging;
using ApiKeyOperator.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ApiKeyOperator.Hosting;

/// <summary>
/// The running operator: DI container, informers, controllers, leader election, and the metrics and health servers.
/// <c>apikey-operator run</c> uses it, and tests start it in-process with the same flags.
/// </summary>
public sealed class OperatorHost : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly ControllerManager _manager;
    private readonly HttpEndpointServer? _metricsServer;
    private readonly HttpEndpointServer? _healthServer;
    private int _ended;

    private OperatorHost(IHost host, OperatorOptions options, HttpEndpointServer? metricsServer, HttpEndpointServer? healthServer)
    {
        _host = host;
        Options = options;
        _manager = host.Services.GetRequiredService<ControllerManager>();
        _metricsServer = metricsServer;
        _healthServer = healthServer;
        Identity = host.Services.GetRequiredService<OperatorIdentity>().Name;
        Metrics = host.Services.GetRequiredService<OperatorMetrics>();
    }

    public OperatorOptions Options { get; }

    public IServiceProvider Services => _host.Services;

    /// <summary>Base address of the metrics server (<c>{MetricsUrl}metrics</c>), null when disabled.</summary>
    public Uri? MetricsUrl => _metricsServer?.Url;

    /// <summary>Base address of the health server (<c>healthz</c>, <c>readyz</c>), null when disabled.</summary>
    public Uri? HealthUrl => _healthServer?.Url;

    /// <summary>This replica's identity in the Lease and in Events.</summary>
    public string Identity { get; }

    /// <summary>True while this host's controllers run (it leads, or leader election is off).</summary>
    public bool IsReconciling => _manager.WorkersRunning;

    /// <summary>The host's Prometheus registry and metric factory, also in DI as <see cref="OperatorMetrics"/>.</summary>
    public OperatorMetrics Metrics { get; }

    /// <summary>Parses <c>run</c> flags (a leading <c>run</c> is optional) and starts.</summary>
    public static Task<OperatorHost> StartAsync(string[] args, Action<IServiceCollection>? configureServices = null, CancellationToken cancellationToken = default) =>
        StartAsync(OperatorCommands.ParseRunOptions(args), [], configureServices, cancellationToken);

    /// <summary>Parses <c>run</c> flags and starts with <paramref name="modules"/> (as Program.cs does), then <paramref name="configureServices"/>.</summary>
    public static Task<OperatorHost> StartAsync(
        string[] args, IReadOnlyList<IOperatorModule> modules, Action<IServiceCollection>? configureServices = null, CancellationToken cancellationToken = default) =>
        StartAsync(OperatorCommands.ParseRunOptions(args, modules), modules, configureServices, cancellationToken);

    public static async Task<OperatorHost> StartAsync(
        OperatorOptions options, IReadOnlyList<IOperatorModule> modules, Action<IServiceCollection>? configureServices = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(modules);
        if (options.CommandLine is null && modules.Any(m => m.Options.Count > 0))
        {
            // Options built in code: the modules' flags take their defaults.
            options = options with { CommandLine = OperatorCommands.ParseRunOptions([], modules).CommandLine };
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        OperatorLogging.Configure(builder.Logging, options.LogLevel, options.LogFormat);
        builder.Services.AddOperatorRuntime(options);
        var components = ComponentFlags.Selected(options);
        foreach (var module in modules.Where(m => m.Components.Any(components.Contains)))
        {
            module.ConfigureServices(builder.Services, options);
        }

        configureServices?.Invoke(builder.Services);
        var host = builder.Build();
        HttpEndpointServer? metrics = null;
        HttpEndpointServer? health = null;
        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
            host.Services.GetRequiredService<ControllerManager>().Start();
            if (BindAddress.Parse(options.MetricsBindAddress) is { } metricsEndpoint)
            {
                var serveMetrics = ProbeEndpoints.Metrics(host.Services.GetRequiredService<OperatorMetrics>(), [.. host.Services.GetServices<MetricsRoute>()]);
                var protection = host.Services.GetService<IListenerProtection>();
                metrics = await HttpEndpointServer.StartAsync(
                    metricsEndpoint, protection?.Protect(serveMetrics) ?? serveMetrics, protection is null ? null : () => protection.CurrentCertificate, cancellationToken)
                    .ConfigureAwait(false);
            }

            if (BindAddress.Parse(options.HealthProbeBindAddress) is { } healthEndpoint)
            {
                health = await HttpEndpointServer.StartAsync(healthEndpoint, ProbeEndpoints.Health([.. host.Services.GetServices<IReadinessCheck>()], [.. host.Services.GetServices<ILivenessCheck>()]), cancellationToken)
                    .ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            try
            {
                host.Services.GetRequiredService<ControllerManager>().Kill();
            }
            catch (Exception killFailure) when (killFailure is not OperationCanceledException)
            {
                // The manager could not even be built (no kubeconfig): nothing runs that could be killed.
            }

            try
            {
                await DisposeQuietlyAsync(metrics, health, host).ConfigureAwait(false);
            }
            catch (Exception teardown) when (teardown is not OperationCanceledException)
            {
                // Tearing down a half-started host can fail in services that never started; the user needs the
                // reason the start failed, not the teardown's, so the teardown's failure is dropped here.
            }

            if (StartupFailure.Describe(e, options) is { } line)
            {
                throw new StartupException(line, e);
            }

            throw;
        }

        host.Services.GetRequiredService<ILogger<OperatorHost>>().LogInformation(
            "Operator started as {Identity}: version {Version}, metrics {MetricsUrl}, health {HealthUrl}, leader election {LeaderElect}",
            host.Services.GetRequiredService<OperatorIdentity>().Name, OperatorVersion.Tag, metrics?.Url, health?.Url, options.LeaderElect);
        return new OperatorHost(host, options, metrics, health);
    }

    /// <summary>
    /// Waits until <paramref name="cancellationToken"/> asks for a stop (SIGTERM, Ctrl+C), returning null, or until a
    /// background service fails and the host stops on its own, returning one line saying which and why.
    /// </summary>
    public async Task<string?> WaitForShutdownAsync(CancellationToken cancellationToken)
    {
        var stopping = _host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stopping);
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, either.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // One of the two; which is decided below.
        }

        // The host also stops on SIGTERM itself (its console lifetime); only a failed background service is a failure.
        var failed = _host.Services.GetServices<IHostedService>().OfType<BackgroundService>().FirstOrDefault(s => s.ExecuteTask?.IsFaulted == true);
        if (cancellationToken.IsCancellationRequested || failed is null)
        {
            return null;
        }

        var reason = failed.ExecuteTask!.Exception!.InnerException ?? failed.ExecuteTask.Exception;
        var line = $"{failed.GetType().Name} failed: {StructuredLogEntry.ErrorText(reason)}";
        _host.Services.GetRequiredService<ILogger<OperatorHost>>().LogError(reason, "Stopping: {Reason}", line);
        return line;
    }

    /// <summary>
    /// Graceful stop: no new reconciles, the ones in flight finish (cancelled after --graceful-shutdown-timeout),
    /// the Lease is released, then the servers close.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _ended, 1) == 1)
        {
            return;
        }

        await _manager.StopAsync(cancellationToken).ConfigureAwait(false);
        await _host.StopAsync(cancellationToken).ConfigureAwait(false);
        await DisposeQuietlyAsync(_metricsServer, _healthServer, _host).ConfigureAwait(false);
    }

    /// <summary>
    /// Crash simulation: reconciles in flight are cancelled at once, no further API request leaves this host, the
    /// Lease is left to expire, the servers close.
    /// </summary>
    public async Task KillAsync()
    {
        if (Interlocked.Exchange(ref _ended, 1) == 1)
        {
            return;
        }

        _manager.Kill();
        await DisposeQuietlyAsync(_metricsServer, _healthServer, _host).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private static async Task DisposeQuietlyAsync(HttpEndpointServer? metrics, HttpEndpointServer? health, IHost host)
    {
        if (metrics is not null)
        {
            await metrics.DisposeAsync().ConfigureAwait(false);
        }

        if (health is not null)
        {
            await health.DisposeAsync().ConfigureAwait(false);
        }

        // The container holds async-only disposables (the informer registry).
        if (host is IAsyncDisposable asyncHost)
        {
            await asyncHost.DisposeAsync().ConfigureAwait(false);
        }
        else
        {
            host.Dispose();
        }
    }
}
