using System.Collections.Concurrent;
using ApiKeyOperator.Ledger;

namespace ApiKeyOperator.Tests.Ledger;

/// <summary>An <see cref="IAuditStream"/> keeping every line; can fail the next writes (a full disk under the log file).</summary>
internal sealed class RecordingAuditStream : IAuditStream
{
    private readonly ConcurrentQueue<string> _lines = new();
    private int _failures;

    public IReadOnlyList<string> Lines => [.. _lines];

    public void FailNext(int writes) => Interlocked.Exchange(ref _failures, writes);

    public Task WriteAsync(AuditEntry row, CancellationToken cancellationToken)
    {
        // The line goes out before the failure shows, as a crash between the line and the commit would leave it.
        _lines.Enqueue(AuditStreamLine.Format(row));
        return Interlocked.Decrement(ref _failures) >= 0 ? throw new IOException("No space left on device") : Task.CompletedTask;
    }
}
