using ApiKeyOperator.Ledger;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace ApiKeyOperator.Tests.Ledger;

/// <summary>A temporary directory, a fake clock and ledgers opened on a file inside it; all cleaned up on dispose.</summary>
internal sealed class LedgerFixture : IDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private readonly List<SqliteAuditLedger> ledgers = [];

    public LedgerFixture()
    {
        Directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "ledger-tests-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        Path = System.IO.Path.Combine(Directory, "ledger.db");
    }

    public string Directory { get; }

    public string Path { get; }

    public FakeTimeProvider Time { get; } = new(Start);

    public LedgerHealth Health { get; } = new();

    public ListLogger<SqliteAuditLedger> Logger { get; } = new();

    public SqliteAuditLedger Open(LedgerOptions? options = null)
    {
        var ledger = new SqliteAuditLedger(options ?? new LedgerOptions { Path = Path }, Time, Health, Logger);
        ledgers.Add(ledger);
        return ledger;
    }

    public static AuditEntry Entry(string kind = AuditEventKinds.Issued, string ns = "payments", string apiKey = "billing-exporter", string? keyId = "3f9a1c2e") =>
        new()
        {
            Kind = kind,
            Namespace = ns,
            ApiKey = apiKey,
            KeyId = keyId,
            Scopes = ["recordings:read"],
            Actor = "kubectl-client-side-apply",
        };

    public static async Task<List<AuditEntry>> ReadAllAsync(IAuditLedger ledger, AuditQuery query)
    {
        var all = new List<AuditEntry>();
        string? next = null;
        do
        {
            AuditPage page = await ledger.QueryAsync(query with { Continue = next }, TestContext.Current.CancellationToken);
            all.AddRange(page.Items);
            next = page.Continue;
        }
        while (next is not null);
        return all;
    }

    public void Dispose()
    {
        foreach (SqliteAuditLedger ledger in ledgers)
        {
            ledger.Dispose();
        }

        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
