using ApiKeyOperator.Ledger;

namespace ApiKeyOperator.Tests.Controllers;

/// <summary>An in-memory <see cref="IAuditLedger"/> that keeps every audit row, for asserting what a controller recorded.</summary>
internal sealed class RecordingAuditLedger : IAuditLedger
{
    private readonly List<AuditEntry> _entries = [];

    public IReadOnlyList<AuditEntry> Entries
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries];
            }
        }
    }

    public Task InitializeAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<bool> TryRecordAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        lock (_entries)
        {
            _entries.Add(entry with { Id = _entries.Count + 1 });
        }

        return Task.FromResult(true);
    }

    public Task<AuditPage> QueryAsync(AuditQuery query, CancellationToken cancellationToken) =>
        Task.FromResult(new AuditPage([.. Entries.Reverse()], null));

    public Task<int> PurgeAsync(CancellationToken cancellationToken) => Task.FromResult(0);
}
