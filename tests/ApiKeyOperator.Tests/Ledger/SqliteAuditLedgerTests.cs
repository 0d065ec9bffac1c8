using ApiKeyOperator.Ledger;
using Xunit;

namespace ApiKeyOperator.Tests.Ledger;

public sealed class SqliteAuditLedgerTests : LedgerTestBase
{
    [Fact]
    public async Task A_resent_entry_keeps_the_time_its_action_happened()
    {
        SqliteAuditLedger ledger = Fixture.Open();
        var happened = new DateTime(2026, 11, 23, 11, 15, 30, 123, DateTimeKind.Utc);

        Assert.True(await ledger.TryRecordAsync(LedgerFixture.Entry() with { Time = happened, IdempotencyKey = "Issued/uid-1/3f9a1c2e" }, Ct));

        AuditEntry stored = Assert.Single((await ledger.QueryAsync(new AuditQuery(), Ct)).Items);
        Assert.Equal(happened, stored.Time);
        Assert.Equal("Issued/uid-1/3f9a1c2e", stored.IdempotencyKey);
    }

    [Fact]
    public async Task RecordedEntry_RoundTripsWithLedgerTimeAndId()
    {
        SqliteAuditLedger ledger = Fixture.Open();
        AuditEntry entry = LedgerFixture.Entry(AuditEventKinds.RotationStarted) with
        {
            Scopes = ["recordings:read", "recordings:write"],
            Reason = "contractor left",
            Rotation = "billing-exporter-2026-11",
            Message = "rotation billing-exporter-2026-11 started (Graceful)",
            Id = 999,
        };

        Assert.True(await ledger.TryRecordAsync(entry, Ct));

        AuditEntry stored = Assert.Single((await ledger.QueryAsync(new AuditQuery(), Ct)).Items);
        Assert.Equal(LedgerFixture.Start.UtcDateTime, stored.Time);
        Assert.Equal(DateTimeKind.Utc, stored.Time.Kind);
        Assert.NotEqual(999, stored.Id);
        Assert.Equal(AuditEventKinds.RotationStarted, stored.Kind);
        Assert.Equal("payments", stored.Namespace);
        Assert.Equal("billing-exporter", stored.ApiKey);
        Assert.Equal("3f9a1c2e", stored.KeyId);
        Assert.Equal(["recordings:read", "recordings:write"], stored.Scopes);
        Assert.Equal("contractor left", stored.Reason);
        Assert.Equal("billing-exporter-2026-11", stored.Rotation);
        Assert.Equal("kubectl-client-side-apply", stored.Actor);
        Assert.Equal("rotation billing-exporter-2026-11 started (Graceful)", stored.Message);
        Assert.Equal(LedgerHealthStatus.Healthy, Fixture.Health.Current.Status);
    }

    [Fact]
    public async Task MissingFileAndDirectory_AreCreated_AndFileUsesWal()
    {
        string nested = Path.Combine(Fixture.Directory, "a", "b", "ledger.db");
        SqliteAuditLedger ledger = Fixture.Open(new LedgerOptions { Path = nested });

        Assert.True(await ledger.TryRecordAsync(LedgerFixture.Entry(), Ct));

        Assert.True(File.Exists(nested));
        Assert.Equal("wal", await SqliteFiles.ScalarAsync(nested, "PRAGMA journal_mode;", Ct));
    }

    [Fact]
    public async Task ReopeningTheFile_KeepsEveryRow()
    {
        SqliteAuditLedger first = Fixture.Open();
        foreach (string kind in (string[])[AuditEventKinds.Issued, AuditEventKinds.ExpiryUpdated, AuditEventKinds.RotationStarted, AuditEventKinds.RolledOut, AuditEventKinds.Revoked, AuditEventKinds.Expired, AuditEventKinds.Deleted])
        {
            Assert.True(await first.TryRecordAsync(LedgerFixture.Entry(kind), Ct));
            Fixture.Time.Advance(TimeSpan.FromSeconds(1));
        }

        first.Dispose();

        SqliteAuditLedger second = Fixture.Open();
        List<AuditEntry> rows = await LedgerFixture.ReadAllAsync(second, new AuditQuery());

        Assert.Equal(
            [AuditEventKinds.Deleted, AuditEventKinds.Expired, AuditEventKinds.Revoked, AuditEventKinds.RolledOut, AuditEventKinds.RotationStarted, AuditEventKinds.ExpiryUpdated, AuditEventKinds.Issued],
            rows.Select(r => r.Kind));
    }

    [Fact]
    public async Task Paging_ReturnsEveryRowExactlyOnce_NewestFirst()
    {
        SqliteAuditLedger ledger = Fixture.Open();
        for (int i = 0; i < 95; i++)
        {
            // Several rows share a millisecond so the id tie-breaker is exercised.
            if (i % 3 == 0)
            {
                Fixture.Time.Advance(TimeSpan.FromMilliseconds(7));
            }

            Assert.True(await ledger.TryRecordAsync(LedgerFixture.Entry() with { Message = $"row {i}" }, Ct));
        }

        var seen = new List<AuditEntry>();
        var pageSizes = new List<int>();
        string? next = null;
        do
        {
            AuditPage page = await ledger.QueryAsync(new AuditQuery { Limit = 10, Continue = next }, Ct);
            pageSizes.Add(page.Items.Count);
            seen.AddRange(page.Items);
            next = page.Continue;
        }
        while (next is not null);

        Assert.Equal([10, 10, 10, 10, 10, 10, 10, 10, 10, 5], pageSizes);
        Assert.Equal(Enumerable.Range(0, 95).Reverse().Select(i => $"row {i}"), seen.Select(e => e.Message));
        Assert.Equal(95, seen.Select(e => e.Id).Distinct().Count());
    }

    [Fact]
    public async Task Paging_LastFullPage_HasNoContinueToken()
    {
        SqliteAuditLedger ledger = Fixture.Open();
        for (int i = 0; i < 4; i++)
        {
            Assert.True(await ledger.TryRecordAsync(LedgerFixture.Entry(), Ct));
        }

        AuditPage page = await ledger.QueryAsync(new AuditQuery { Limit = 4 }, Ct);

        Assert.Equal(4, page.Items.Count);
        Assert.Null(page.Continue);
    }

    [Fact]
    public async Task Filters_ByNamespaceApiKeyAndSince()
    {
        SqliteAuditLedger ledger = Fixture.Open();
        Assert.True(await ledger.TryRecordAsync(LedgerFixture.Entry(ns: "payments", apiKey: "a"), Ct));
        Assert.True(await ledger.TryRecordAsync(LedgerFixture.Entry(ns: "payments", apiKey: "b"), Ct));
        Assert.True(await ledger.TryRecordAsync(LedgerFixture.Entry(ns: "search", apiKey: "a"), Ct));
        Fixture.Time.Advance(TimeSpan.FromHours(1));
        DateTime later = Fixture.Time.GetUtcNow().UtcDateTime;
        Assert.True(await ledger.TryRecordAsync(LedgerFixture.Entry(AuditEventKinds.Revoked, ns: "payments", apiKey: "a"), Ct));

        List<AuditEntry> payments = await LedgerFixture.ReadAllAsync(ledger, new AuditQuery { Namespace = "payments" });
        List<AuditEntry> paymentsA = await LedgerFixture.ReadAllAsync(ledger, new AuditQuery { Namespace = "payments", ApiKey = "a" });
        List<AuditEntry> anyA = await LedgerFixture.ReadAllAsync(ledger, new AuditQuery { ApiKey = "a" });
        List<AuditEntry> recent = await LedgerFixture.ReadAllAsync(ledger, new AuditQuery { Since = later });

        Assert.Equal(3, payments.Count);
        Assert.All(payments, e => Assert.Equal("payments", e.Namespace));
        Assert.Equal([AuditEventKinds.Revoked, AuditEventKinds.Issued], paymentsA.Select(e => e.Kind));
        Assert.Equal(["payments", "search", "payments"], anyA.Select(e => e.Namespace));
        AuditEntry only = Assert.Single(recent);
        Assert.Equal(AuditEventKinds.Revoked, only.Kind);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1001)]
    public async Task Query_RejectsLimitOutOfRange(int limit)
    {
        SqliteAuditLedger ledger = Fixture.Open();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => ledger.QueryAsync(new AuditQuery { Limit = limit }, Ct));

        Assert.Equal("limit", error.ParamName);
    }

    [Theory]
    [InlineData("not-base64!")]
    [InlineData("djE6YWJjOjE")] // "v1:abc:1"
    [InlineData("")]
    public async Task Query_RejectsForeignContinueToken(string token)
    {
        SqliteAuditLedger ledger = Fixture.Open();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => ledger.QueryAsync(new AuditQuery { Continue = token }, Ct));

        Assert.Equal("continue", error.ParamName);
    }

    [Theory]
    [InlineData("")]
    [InlineData("issued")]
    [InlineData("Issued Now")]
    public async Task Record_RejectsMalformedKind(string kind)
    {
        SqliteAuditLedger ledger = Fixture.Open();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => ledger.TryRecordAsync(LedgerFixture.Entry(kind), Ct));

        Assert.Equal("kind", error.ParamName);
    }

    [Fact]
    public async Task Record_AcceptsKindsBeyondTheKnownSet()
    {
        SqliteAuditLedger ledger = Fixture.Open();

        Assert.True(await ledger.TryRecordAsync(LedgerFixture.Entry("TrafficObserved"), Ct));

        Assert.Equal("TrafficObserved", Assert.Single((await ledger.QueryAsync(new AuditQuery(), Ct)).Items).Kind);
    }
}
