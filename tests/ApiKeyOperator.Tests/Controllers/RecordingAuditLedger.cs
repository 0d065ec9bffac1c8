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

    public Task<IReadOnlyList<string>> ListNamespacesAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>([.. Entries.Select(e => e.Namespace).Distinct().Order(StringComparer.Ordinal)]);

    public Task<bool> TryRecordUsageAsync(string @namespace, string apiKey, string keyId, DateTime at, CancellationToken cancellationToken) =>
        Task.FromResult(true);

    public Task<IReadOnlyList<KeyUsage>> GetUsageSinceAsync(DateTime since, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<KeyUsage>>([]);

    public Task<IReadOnlyDictionary<string, KeyUsage>> GetUsageAsync(string @namespace, string apiKey, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, KeyUsage>>(new Dictionary<string, KeyUsage>());

    public Task<int> PurgeAsync(CancellationToken cancellationToken) => Task.FromResult(0);
}
