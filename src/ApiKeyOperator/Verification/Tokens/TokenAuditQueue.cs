using System.Threading.Channels;
using ApiKeyOperator.Ledger;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ApiKeyOperator.Verification.Tokens;

/// <summary>
/// Audit rows of token issuance, written off the request path: the endpoint queues the row before it answers and
/// one background writer drains the queue into the ledger, so a burst of token requests costs the ledger its
/// sequential insert rate, never the requests their latency. The queue is bounded: when it is full the endpoint
/// refuses the token (503 <c>temporarily_unavailable</c>) instead of issuing one without its row. The writer
/// drains what has queued into one ledger transaction (<see cref="IAuditLedger.TryRecordManyAsync"/>), so the
/// ledger's rate is commits per second times the batch, not rows per commit.
/// </summary>
public sealed class TokenAuditQueue(IAuditLedger ledger, ILogger<TokenAuditQueue> logger, int capacity = TokenAuditQueue.DefaultCapacity) : BackgroundService
{
    public const int DefaultCapacity = 10_000;

    /// <summary>Most rows written in one ledger transaction.</summary>
    public const int MaxBatch = 500;

    private readonly Channel<AuditEntry> _queue = Channel.CreateBounded<AuditEntry>(
        new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    /// <summary>Rows queued and not yet written.</summary>
    public int Pending => _queue.Reader.Count;

    /// <summary>Queues one row; false when the queue is full.</summary>
    public bool TryEnqueue(AuditEntry entry) => _queue.Writer.TryWrite(entry);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                await WriteAsync(Drain(), stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Rows still queued at shutdown are flushed below without the cancelled token.
        }

        while (Drain() is { Count: > 0 } rest)
        {
            await WriteAsync(rest, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Whatever is queued, up to <see cref="MaxBatch"/> rows: under load one commit serves many tokens.</summary>
    private List<AuditEntry> Drain()
    {
        var batch = new List<AuditEntry>();
        while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var entry))
        {
            batch.Add(entry);
        }

        return batch;
    }

    private async Task WriteAsync(List<AuditEntry> batch, CancellationToken cancellationToken)
    {
        try
        {
            var recorded = await ledger.TryRecordManyAsync(batch, cancellationToken).ConfigureAwait(false);
            if (recorded < batch.Count)
            {
                logger.LogWarning("{Missing} TokenIssued audit rows were not recorded (ledger degraded)", batch.Count - recorded);
            }
        }
        catch (ArgumentException)
        {
            // One row was refused before any I/O: write them one by one so the others still land.
            foreach (var entry in batch)
            {
                try
                {
                    await ledger.TryRecordAsync(entry, cancellationToken).ConfigureAwait(false);
                }
                catch (ArgumentException e)
                {
                    logger.LogError("Audit row {Kind} for {Namespace}/{ApiKey} refused: field {Field} rejected", entry.Kind, entry.Namespace, entry.ApiKey, e.ParamName);
                }
            }
        }
    }
}
