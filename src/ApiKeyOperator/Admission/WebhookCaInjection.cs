using ApiKeyOperator.Certificates;
using ApiKeyOperator.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ApiKeyOperator.Admission;

/// <summary>
/// For the shipped install (config/webhook): the leader keeps the operator's CA bundle in the caBundle of the
/// labelled webhook configurations whose Service is in the operator's own namespace (another instance's are
/// left alone), at the certificate refresh interval — so a rotated CA reaches the API server before it is used.
/// </summary>
public sealed class WebhookCaInjection(
    string ownNamespace,
    CaBundleInjector injector,
    ManagedServingCertificate serving,
    ControllerManager controllers,
    CertificateSettings settings,
    TimeProvider time,
    ILogger<WebhookCaInjection> logger) : BackgroundService
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(250);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        string? injected = null;
        var last = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            var bundle = serving.Bundle;
            if (controllers.WorkersRunning && bundle is not null && (bundle != injected || time.GetUtcNow() - last >= settings.RefreshInterval))
            {
                try
                {
                    await injector.InjectAsync(bundle, stoppingToken, c => c?.Service?.NamespaceProperty == ownNamespace).ConfigureAwait(false);
                    injected = bundle;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning("The CA bundle could not be injected into the webhook configurations: {Error}", e.Message);
                }

                last = time.GetUtcNow();
            }

            try
            {
                await Task.Delay(Tick, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
