using System.Threading.Channels;
using ApiKeyOperator.Ledger;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ApiKeyOperator.Verification.Tokens;

/// <summary>
/// Audit rows of token issuance, written off the request path: the endpoint queues the row before it answers and
/// one background writer drains the queue into the ledger, so a burst of token requests costs the ledger its
/// sequential insert rate, never the requests their latency. The queue is bounded: when it is full the endpoint
/// refuses the token (503 <c>temporarily_unavailable</c>) instead of issuing one without its row.
/// </summary>
public sealed class TokenAuditQueue(IAuditLedger ledger, ILogger<TokenAuditQueue> logger, int capacity = TokenAuditQueue.DefaultCapacity) : BackgroundService
{
    public const int DefaultCapacity = 10_000;

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
            await foreach (var entry in _queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                await WriteAsync(entry, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Rows still queued at shutdown are flushed below without the cancelled token.
        }

        while (_queue.Reader.TryRead(out var entry))
        {
            await WriteAsync(entry, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task WriteAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            if (!await ledger.TryRecordAsync(entry, cancellationToken).ConfigureAwait(false))
            {
                logger.LogWarning("Audit row {Kind} for key {KeyId} of {Namespace}/{ApiKey} was not recorded (ledger degraded)", entry.Kind, entry.KeyId, entry.Namespace, entry.ApiKey);
            }
        }
        catch (ArgumentException e)
        {
            logger.LogError("Audit row {Kind} for {Namespace}/{ApiKey} refused: field {Field} rejected", entry.Kind, entry.Namespace, entry.ApiKey, e.ParamName);
        }
    }
}
