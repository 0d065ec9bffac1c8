using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ApiKeyOperator.Ledger;

/// <summary>
/// Opens the ledger at start (so a damaged file is found and reported early) and applies retention every
/// <see cref="LedgerOptions.MaintenanceInterval"/>. Failures are logged; the next tick tries again.
/// </summary>
public sealed class LedgerMaintenanceService(
    IAuditLedger ledger,
    LedgerOptions options,
    TimeProvider timeProvider,
    ILogger<LedgerMaintenanceService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Created before the first run so a tick is never missed while that run is in progress.
        using var timer = new PeriodicTimer(options.MaintenanceInterval, timeProvider);
        do
        {
            await RunOnceAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            int purged = await ledger.PurgeAsync(cancellationToken);
            if (purged > 0)
            {
                logger.LogInformation("Purged {Count} audit rows older than {Retention}", purged, options.Retention);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Audit ledger maintenance failed; retrying in {Interval}", options.MaintenanceInterval);
        }
    }
}
