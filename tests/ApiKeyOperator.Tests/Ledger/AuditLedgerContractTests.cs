using System.Text.Json;
using ApiKeyOperator.Ledger;
using Microsoft.Extensions.Time.Testing;
using Prometheus;
using Xunit;

namespace ApiKeyOperator.Tests.Ledger;

/// <summary>
/// What both stores promise, run against each (<see cref="SqliteLedgerContractTests"/>, <see cref="Postgres.PostgresLedgerContractTests"/>):
/// one row per idempotency key however often and from however many replicas it is sent, the stream line of every
/// new row, the same queries with the same answers, retention.
/// </summary>
public abstract class AuditLedgerContractTests : IAsyncDisposable
{
    private readonly List<SqlAuditLedger> _ledgers = [];

    protected AuditLedgerContractTests()
    {
        Metrics = new AuditMetrics(Prometheus.Metrics.WithCustomRegistry(Registry));
    }

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected FakeTimeProvider Time { get; } = new(LedgerFixture.Start);

    protected LedgerHealth Health { get; } = new();

    protected CollectorRegistry Registry { get; } = Prometheus.Metrics.NewCustomRegistry();

    protected AuditMetrics Metrics { get; }

    [Fact]
    public async Task A_row_sent_twice_under_one_idempotency_key_is_stored_once_and_both_sends_succeed()
    {
        SqlAuditLedger ledger = await LedgerAsync();
        AuditEntry row = LedgerFixture.Entry() with { IdempotencyKey = "Issued/5b0c/3f9a1c2e" };

        await LandsAsync(ledger, row);
        Time.Advance(TimeSpan.FromMinutes(5));
        await LandsAsync(ledger, row with { Message = "sent again after an outage" });

        AuditEntry stored = Assert.Single((await ledger.QueryAsync(new AuditQuery(), Ct)).Items);
        Assert.Null(stored.Message);
        Assert.Equal(LedgerFixture.Start.UtcDateTime, stored.Time);
        Assert.Equal("Issued/5b0c/3f9a1c2e", stored.IdempotencyKey);
        Assert.Equal(1, await MetricsText.ValueAsync(Registry, "apikey_audit_rows_total{result=\"written\"}"));
        Assert.Equal(1, await MetricsText.ValueAsync(Registry, "apikey_audit_rows_total{result=\"duplicate\"}"));
        Assert.Equal(0, await MetricsText.ValueAsync(Registry, "apikey_audit_rows_total{result=\"failed\"}"));
    }

    [Fact]
    public async Task Rows_without_an_idempotency_key_are_never_deduplicated()
    {
        SqlAuditLedger ledger = await LedgerAsync();

        await LandsAsync(ledger, LedgerFixture.Entry());
        await LandsAsync(ledger, LedgerFixture.Entry());

        Assert.Equal(2, (await ledger.QueryAsync(new AuditQuery(), Ct)).Items.Count);
    }

    [Fact]
    public async Task Rows_sent_concurrently_by_two_replicas_land_exactly_once_each()
    {
        SqlAuditLedger first = await LedgerAsync();
        SqlAuditLedger second = await LedgerAsync();
        var rows = Enumerable.Range(0, 60)
            .Select(i => LedgerFixture.Entry(apiKey: $"key-{i % 12}", keyId: $"{i:x8}") with { IdempotencyKey = $"Issued/uid-{i}/{i:x8}" })
            .ToList();

        // Each replica sends every row from four workers, in its own shuffled order.
        var sends = new[] { first, second }.SelectMany((ledger, r) => Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            var order = rows.OrderBy(_ => Random.Shared.Next()).ToList();
            var results = new List<bool>();
            foreach (AuditEntry row in order)
            {
                results.Add(await ledger.TryRecordAsync(row, Ct));
            }

            return results;
        }, Ct))).ToList();
        bool[][] outcomes = await Task.WhenAll(sends.Select(async s => (await s).ToArray()));

        Assert.All(outcomes.SelectMany(o => o), Assert.True);
        List<AuditEntry> stored = await LedgerFixture.ReadAllAsync(second, new AuditQuery { Limit = 7 });
        Assert.Equal(rows.Select(r => r.IdempotencyKey).Order(), stored.Select(s => s.IdempotencyKey).Order());
        Assert.Equal(60, await MetricsText.ValueAsync(Registry, "apikey_audit_rows_total{result=\"written\"}"));
        Assert.Equal((8 * 60) - 60, await MetricsText.ValueAsync(Registry, "apikey_audit_rows_total{result=\"duplicate\"}"));
    }

    [Fact]
    public async Task Every_new_row_is_streamed_as_one_JSON_line_and_a_duplicate_not_at_all()
    {
        var stream = new RecordingAuditStream();
        SqlAuditLedger ledger = await LedgerAsync(stream);
        AuditEntry row = LedgerFixture.Entry(AuditEventKinds.RotationStarted) with
        {
            Reason = "contractor left", Rotation = "billing-exporter-1", IdempotencyKey = "RotationStarted/uid-1/billing-exporter-1",
        };

        await LandsAsync(ledger, row);
        await LandsAsync(ledger, row);
        await LandsAsync(ledger, LedgerFixture.Entry(AuditEventKinds.Deleted));

        Assert.Equal(2, stream.Lines.Count);
        AuditEntry stored = (await ledger.QueryAsync(new AuditQuery(), Ct)).Items.Single(i => i.Kind == AuditEventKinds.RotationStarted);
        using JsonDocument line = JsonDocument.Parse(stream.Lines[0]);
        JsonElement json = line.RootElement;
        Assert.Equal(
            ["auditSchema", "id", "time", "kind", "namespace", "apiKey", "keyId", "scopes", "reason", "rotation", "actor", "message", "idempotencyKey"],
            json.EnumerateObject().Select(p => p.Name));
        Assert.Equal(AuditStreamLine.Schema, json.GetProperty("auditSchema").GetString());
        Assert.Equal(stored.Id, json.GetProperty("id").GetInt64());
        Assert.Equal("2026-11-23T12:00:00.000Z", json.GetProperty("time").GetString());
        Assert.Equal(("RotationStarted", "payments", "billing-exporter", "3f9a1c2e"), (json.GetProperty("kind").GetString(), json.GetProperty("namespace").GetString(), json.GetProperty("apiKey").GetString(), json.GetProperty("keyId").GetString()));
        Assert.Equal(["recordings:read"], json.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(("contractor left", "billing-exporter-1", "kubectl-client-side-apply"), (json.GetProperty("reason").GetString(), json.GetProperty("rotation").GetString(), json.GetProperty("actor").GetString()));
        Assert.Equal(JsonValueKind.Null, json.GetProperty("message").ValueKind);
        Assert.Equal(row.IdempotencyKey, json.GetProperty("idempotencyKey").GetString());
    }

    [Fact]
    public async Task A_row_whose_line_cannot_be_written_is_not_stored_and_lands_with_its_line_when_sent_again()
    {
        var stream = new RecordingAuditStream();
        SqlAuditLedger ledger = await LedgerAsync(stream);
        AuditEntry row = LedgerFixture.Entry() with { IdempotencyKey = "Issued/uid-7/3f9a1c2e" };
        stream.FailNext(1);

        Assert.False(await ledger.TryRecordAsync(row, Ct));
        Assert.Empty((await ledger.QueryAsync(new AuditQuery(), Ct)).Items);
        Assert.Equal(LedgerHealthStatus.Degraded, Health.Current.Status);

        await LandsAsync(ledger, row);

        Assert.Single((await ledger.QueryAsync(new AuditQuery(), Ct)).Items);
        // At least once: the line of the failed attempt went out before the failure, the re-send's too.
        Assert.Equal(2, stream.Lines.Count);
        Assert.All(stream.Lines, l => Assert.Contains(row.IdempotencyKey, l, StringComparison.Ordinal));
        Assert.Equal(LedgerHealthStatus.Healthy, Health.Current.Status);
        Assert.Equal(1, await MetricsText.ValueAsync(Registry, "apikey_audit_rows_total{result=\"failed\"}"));
    }

    [Fact]
    public async Task Queries_filter_and_page_newest_first()
    {
        SqlAuditLedger ledger = await LedgerAsync();
        for (int i = 0; i < 5; i++)
        {
            await LandsAsync(ledger, LedgerFixture.Entry(apiKey: i % 2 == 0 ? "even" : "odd", keyId: $"0000000{i}"));
            Time.Advance(TimeSpan.FromMinutes(1));
        }

        await LandsAsync(ledger, LedgerFixture.Entry(ns: "search"));

        AuditPage first = await ledger.QueryAsync(new AuditQuery { Namespace = "payments", ApiKey = "even", Limit = 2 }, Ct);
        AuditPage second = await ledger.QueryAsync(new AuditQuery { Namespace = "payments", ApiKey = "even", Limit = 2, Continue = first.Continue }, Ct);
        AuditPage since = await ledger.QueryAsync(new AuditQuery { Since = LedgerFixture.Start.UtcDateTime.AddMinutes(3) }, Ct);

        Assert.Equal(["00000004", "00000002"], first.Items.Select(i => i.KeyId));
        Assert.Equal(["00000000"], second.Items.Select(i => i.KeyId));
        Assert.Null(second.Continue);
        Assert.Equal(["search", "payments", "payments"], since.Items.Select(i => i.Namespace));
    }

    [Fact]
    public async Task Retention_purges_only_rows_older_than_it()
    {
        SqlAuditLedger ledger = await LedgerAsync(retention: TimeSpan.FromDays(30));
        await LandsAsync(ledger, LedgerFixture.Entry(keyId: "00000001"));
        Time.Advance(TimeSpan.FromDays(20));
        await LandsAsync(ledger, LedgerFixture.Entry(keyId: "00000002"));
        Time.Advance(TimeSpan.FromDays(11));

        Assert.Equal(1, await ledger.PurgeAsync(Ct));

        Assert.Equal(["00000002"], (await ledger.QueryAsync(new AuditQuery(), Ct)).Items.Select(i => i.KeyId));
    }

    /// <summary>Sends the row and asserts it landed, showing the ledger's health when it did not.</summary>
    protected async Task LandsAsync(SqlAuditLedger ledger, AuditEntry row) =>
        Assert.True(await ledger.TryRecordAsync(row, Ct), $"not stored: {Health.Current.Message}");

    public async ValueTask DisposeAsync()
    {
        foreach (SqlAuditLedger ledger in _ledgers)
        {
            await CloseAsync(ledger);
        }

        await DisposeStoreAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>A ledger on this test's store; every call opens another replica on the same store.</summary>
    protected async Task<SqlAuditLedger> LedgerAsync(IAuditStream? stream = null, TimeSpan? retention = null)
    {
        SqlAuditLedger ledger = await OpenAsync(new LedgerOptions { Retention = retention ?? TimeSpan.FromDays(400) }, stream);
        _ledgers.Add(ledger);
        return ledger;
    }

    /// <summary>Opens a ledger on the test's store with <paramref name="options"/>'s retention, this class's clock, health and metrics.</summary>
    private protected abstract Task<SqlAuditLedger> OpenAsync(LedgerOptions options, IAuditStream? stream);

    private protected abstract ValueTask CloseAsync(SqlAuditLedger ledger);

    private protected abstract ValueTask DisposeStoreAsync();
}
