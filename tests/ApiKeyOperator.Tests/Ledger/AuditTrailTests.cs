using ApiKeyOperator.Api;
using ApiKeyOperator.Hosting;
using ApiKeyOperator.Ledger;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Prometheus;
using Xunit;

namespace ApiKeyOperator.Tests.Ledger;

public sealed class AuditTrailTests : LedgerTestBase
{
    private readonly CollectorRegistry _registry = Metrics.NewCustomRegistry();

    [Fact]
    public async Task A_replica_that_stops_leading_forgets_its_waiting_rows_for_the_new_leader_to_send()
    {
        var options = new OperatorOptions { LeaderElect = true };
        var leadership = new LeaderElectionStatus(options);
        leadership.Set(true);
        var (trail, backlog) = Trail(new RefusingLedger(), leadership);

        Assert.False(await trail.RecordAsync(LedgerFixture.Entry() with { IdempotencyKey = "a" }, Ct));
        Assert.False(await trail.RecordAsync(LedgerFixture.Entry() with { IdempotencyKey = "b" }, Ct));
        Assert.False(await trail.RecordAsync(LedgerFixture.Entry() with { IdempotencyKey = "a" }, Ct));
        Assert.Equal(2, await MetricsText.ValueAsync(_registry, "apikey_audit_rows_pending"));

        leadership.Set(false);

        Assert.Equal(0, backlog.Count);
        Assert.Equal(0, await MetricsText.ValueAsync(_registry, "apikey_audit_rows_pending"));
    }

    [Fact]
    public async Task A_row_without_an_idempotency_key_that_fails_is_a_warning_and_is_not_counted_as_waiting()
    {
        var logger = new ListLogger<AuditTrail>();
        var backlog = new AuditBacklog(new AuditMetrics(Metrics.WithCustomRegistry(_registry)));
        var trail = new AuditTrail(new RefusingLedger(), backlog, new LeaderElectionStatus(new OperatorOptions()), Fixture.Time, logger);

        Assert.False(await trail.RecordAsync(LedgerFixture.Entry(), Ct));

        Assert.Equal(0, backlog.Count);
        Assert.Contains(logger.Lines, l => l.Level == LogLevel.Warning && l.Text.Contains("no idempotency key", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_invalid_row_throws_from_the_entry_overload_and_is_logged_by_name_from_the_convenience_one()
    {
        var logger = new ListLogger<AuditTrail>();
        SqliteAuditLedger ledger = Fixture.Open();
        var trail = new AuditTrail(ledger, new AuditBacklog(new AuditMetrics(Metrics.WithCustomRegistry(_registry))), new LeaderElectionStatus(new OperatorOptions()), Fixture.Time, logger);
        var apiKey = new ApiKey { Metadata = new V1ObjectMeta { Name = "billing", NamespaceProperty = "payments" }, Spec = new ApiKeySpec { SecretName = "s", Scopes = ["a:read"] } };

        await Assert.ThrowsAsync<ArgumentException>(() => trail.RecordAsync(AuditTrail.Entry(AuditEventKinds.Issued, apiKey, "3f9a1c2e", actor: " "), Ct));
        Assert.False(await trail.RecordAsync(AuditEventKinds.Issued, apiKey, "3f9a1c2e", actor: " ", cancellationToken: Ct));
        Assert.True(await trail.RecordAsync(AuditEventKinds.Issued, apiKey, "3f9a1c2e", actor: "kubectl", cancellationToken: Ct));

        Assert.Contains(logger.Lines, l => l.Level == LogLevel.Error && l.Text.Contains("field actor rejected", StringComparison.Ordinal));
        AuditEntry stored = Assert.Single((await ledger.QueryAsync(new AuditQuery(), Ct)).Items);
        Assert.Equal(["a:read"], stored.Scopes);
    }

    private (AuditTrail Trail, AuditBacklog Backlog) Trail(IAuditLedger ledger, LeaderElectionStatus leadership)
    {
        var backlog = new AuditBacklog(new AuditMetrics(Metrics.WithCustomRegistry(_registry)));
        return (new AuditTrail(ledger, backlog, leadership, Fixture.Time, new ListLogger<AuditTrail>()), backlog);
    }

    /// <summary>A ledger whose store is down: every write fails.</summary>
    private sealed class RefusingLedger : IAuditLedger
    {
        public Task InitializeAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<bool> TryRecordAsync(AuditEntry entry, CancellationToken cancellationToken) => Task.FromResult(false);

        public Task<AuditPage> QueryAsync(AuditQuery query, CancellationToken cancellationToken) => throw new InvalidOperationException("down");

        public Task<IReadOnlyList<string>> ListNamespacesAsync(CancellationToken cancellationToken) => throw new InvalidOperationException("down");

        public Task<int> PurgeAsync(CancellationToken cancellationToken) => throw new InvalidOperationException("down");
    }
}
