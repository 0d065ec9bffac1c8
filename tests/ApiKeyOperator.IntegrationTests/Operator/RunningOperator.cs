using ApiKeyOperator.Hosting;
using ApiKeyOperator.Verification;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ApiKeyOperator.IntegrationTests.Operator;

/// <summary>The operator host started in-process with its real flags and every production module.</summary>
public sealed class RunningOperator : IAsyncDisposable
{
    private bool _stopped;

    private RunningOperator(OperatorHost host, CapturedLogs logs)
    {
        Host = host;
        Logs = logs;
    }

    public OperatorHost Host { get; }

    public CapturedLogs Logs { get; }

    public Uri? MetricsUrl => Host.MetricsUrl;

    public Uri? HealthUrl => Host.HealthUrl;

    /// <summary>Base address of the ApiKeyReview endpoint, when it is enabled.</summary>
    public Uri? ReviewUrl => Host.Services.GetService<VerificationService>()?.Server?.Addresses.FirstOrDefault();

    public static async Task<RunningOperator> StartAsync(IReadOnlyList<string> args, CapturedLogs logs, Action<IServiceCollection>? configure, CancellationToken cancellationToken)
    {
        var host = await OperatorHost.StartAsync([.. args], OperatorModules.All, services =>
        {
            services.AddSingleton<ILoggerProvider>(logs);
            configure?.Invoke(services);
        }, cancellationToken);
        return new RunningOperator(host, logs);
    }

    /// <summary>Graceful stop: in-flight reconciles finish, the lease is released.</summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await Host.StopAsync();
        }
    }

    /// <summary>Crash: reconciles in flight are abandoned and nothing more reaches the API server.</summary>
    public async Task KillAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await Host.KillAsync();
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
