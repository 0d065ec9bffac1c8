using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ApiKeyOperator.Ledger;

/// <summary>
/// Drains the <see cref="LastUsedBatcher"/> into <see cref="ILastUsedStatusSink"/>: whenever a write is due,
/// hands it over; a failed write is requeued and retried after the ApiKey's interval, so a struggling API
/// server sees at most one write per ApiKey per minute either way.
/// </summary>
public sealed class LastUsedStatusPump(LastUsedBatcher batcher, ILastUsedStatusSink sink, ILogger<LastUsedStatusPump> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            await batcher.WaitUntilDueAsync(stoppingToken);
            foreach (LastUsedWrite write in batcher.TakeDue())
            {
                bool done;
                try
                {
                    done = await sink.WriteAsync(write, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning(ex, "Writing lastUsedAt of ApiKey {Namespace}/{ApiKey} failed; retrying after the next interval", write.Namespace, write.ApiKey);
                    done = false;
                }

                if (!done)
                {
                    batcher.Requeue(write);
                }
            }
        }
    }
}
