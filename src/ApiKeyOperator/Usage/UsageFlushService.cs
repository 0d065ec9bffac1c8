using Microsoft.Extensions.Hosting;

namespace ApiKeyOperator.Usage;

/// <summary>
/// Runs <see cref="UsageFlusher"/> on every replica that serves reviews: at each tick, and at once when a key
/// gets its first pending use (so a first use shows within moments). Only this loop calls the flusher.
/// </summary>
public sealed class UsageFlushService(UsageFlusher flusher, UsageAggregator aggregator, UsageOptions options, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            using var tick = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var delay = Task.Delay(options.Tick, time, tick.Token);
            await Task.WhenAny(aggregator.Added, delay).WaitAsync(stoppingToken).ConfigureAwait(false);
            await tick.CancelAsync().ConfigureAwait(false);
            await flusher.FlushAsync(time.GetUtcNow().UtcDateTime, stoppingToken).ConfigureAwait(false);
        }
    }
}
