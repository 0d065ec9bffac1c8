using ApiKeyOperator.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ApiKeyOperator.Certificates;

/// <summary>
/// Keeps the operator's own CA and serving certificate. The leader (any replica without leader election) reads
/// the stored certificates, applies <see cref="CertificateRotation"/> and writes back what changed, every
/// <see cref="CertificateSettings.RefreshInterval"/> and as soon as it starts leading; every other replica loads
/// the serving certificate the leader stored. Either way <see cref="ManagedServingCertificate"/> serves it.
/// </summary>
public sealed class CertificateManager(
    CertificateSettings settings,
    CertificateStore store,
    ManagedServingCertificate serving,
    ControllerManager controllers,
    TimeProvider time,
    ILogger<CertificateManager> logger) : BackgroundService
{
    // Leadership and a first certificate are waited for at this pace; everything else at the refresh interval.
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan FirstCertificateRetry = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var wasLeading = false;
        var lastRound = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            var leading = controllers.WorkersRunning;
            // Until a certificate is in, retry every second (the leader may be writing it right now).
            var interval = serving.Current is null && settings.RefreshInterval > FirstCertificateRetry ? FirstCertificateRetry : settings.RefreshInterval;
            var due = time.GetUtcNow() - lastRound >= interval || (leading && !wasLeading);
            if (due)
            {
                try
                {
                    if (leading)
                    {
                        await ReconcileAsync(stoppingToken).ConfigureAwait(false);
                    }
                    else
                    {
                        await LoadAsync(stoppingToken).ConfigureAwait(false);
                    }

                    lastRound = time.GetUtcNow();
                    wasLeading = leading;
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    // A conflict with another writer or an unreachable API server: the next round tries again.
                    logger.LogWarning("Certificates in {Namespace} could not be {Action}: {Error}", settings.Namespace, leading ? "checked" : "loaded", e.Message);
                    lastRound = time.GetUtcNow();
                }
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

    /// <summary>One leader round: read, decide, write, serve.</summary>
    public async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        var (observed, stored) = await store.ReadAsync(cancellationToken).ConfigureAwait(false);
        var (state, changes) = CertificateRotation.Reconcile(observed, settings.Identity, time.GetUtcNow(), settings.Policy);
        foreach (var change in changes)
        {
            logger.LogInformation("Certificates in {Namespace}: {Change}", settings.Namespace, change);
        }

        var written = await store.WriteAsync(state, stored, cancellationToken).ConfigureAwait(false);
        if (written > 0)
        {
            logger.LogInformation("Certificates in {Namespace}: wrote {Count} objects; serving {Subject} until {NotAfter}, signed by {Issuer}",
                settings.Namespace, written, state.Serving.Subject, state.Serving.NotAfter, state.Signer.Subject);
        }

        serving.Set(state.Serving, state.Bundle);
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var (certificate, bundle) = await store.ReadServingAsync(cancellationToken).ConfigureAwait(false);
        if (certificate is not null)
        {
            serving.Set(certificate, bundle);
        }
    }
}
