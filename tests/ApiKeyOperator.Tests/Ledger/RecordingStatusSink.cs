using System.Collections.Concurrent;
using ApiKeyOperator.Ledger;

namespace ApiKeyOperator.Tests.Ledger;

/// <summary>Records every status write with the (fake) time it happened; can be told to fail the first N.</summary>
internal sealed class RecordingStatusSink(TimeProvider time, int failFirst = 0) : ILastUsedStatusSink
{
    private int calls;

    public ConcurrentQueue<(DateTimeOffset At, LastUsedWrite Write)> Writes { get; } = new();

    public Task<bool> WriteAsync(LastUsedWrite write, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref calls) <= failFirst)
        {
            return Task.FromResult(false);
        }

        Writes.Enqueue((time.GetUtcNow(), write));
        return Task.FromResult(true);
    }
}
