using ApiKeyOperator.Ledger;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace ApiKeyOperator.Tests.Ledger;

public sealed class LedgerRegistrationTests : LedgerTestBase
{
    [Fact]
    public async Task AddAuditLedger_WiresOneLedger_TheMaintenanceService_AndAnEarlierTimeProvider()
    {
        var services = new ServiceCollection().AddLogging().AddSingleton<TimeProvider>(Fixture.Time);
        services.AddAuditLedger(new LedgerOptions { Path = Fixture.Path });

        await using (ServiceProvider provider = services.BuildServiceProvider())
        {
            IAuditLedger ledger = provider.GetRequiredService<IAuditLedger>();
            Assert.Same(provider.GetRequiredService<SqliteAuditLedger>(), ledger);
            Assert.Single(provider.GetServices<IHostedService>().OfType<LedgerMaintenanceService>());
            Assert.True(await ledger.TryRecordAsync(LedgerFixture.Entry(), Ct));
            Assert.Equal(LedgerFixture.Start.UtcDateTime, Assert.Single((await ledger.QueryAsync(new AuditQuery(), Ct)).Items).Time);
        }

        // Disposing the container closed every connection: SQLite checkpointed and removed the WAL.
        Assert.True(File.Exists(Fixture.Path));
        Assert.False(File.Exists(Fixture.Path + "-wal"));
    }

    [Fact]
    public void AddAuditLedger_RejectsInvalidOptions()
    {
        var error = Assert.Throws<ArgumentException>(() => new ServiceCollection().AddAuditLedger(new LedgerOptions { Retention = TimeSpan.Zero }));

        Assert.Equal("Retention", error.ParamName);
    }

    [Fact]
    public void ReadinessCheck_StaysReady_AndShowsTheDegradedReason()
    {
        var health = new LedgerHealth();
        var check = new LedgerReadinessCheck(health);

        var healthy = check.Check();
        health.MarkRecovered("moved aside to /data/ledger.db.corrupt-20261123120000");
        var degraded = check.Check();

        Assert.Equal("ledger", check.Name);
        Assert.True(healthy.Ready);
        Assert.Null(healthy.Detail);
        Assert.True(degraded.Ready);
        Assert.Contains("corrupt-20261123120000", degraded.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Health_WriteFailureClears_RecoveryNoticeStays()
    {
        var health = new LedgerHealth();

        Assert.True(health.MarkWriteFailed("disk full"));
        Assert.False(health.MarkWriteFailed("disk full"));
        health.MarkRecovered("moved aside");
        Assert.Equal(new LedgerHealthSnapshot(LedgerHealthStatus.Degraded, "disk full; earlier: moved aside"), health.Current);
        Assert.True(health.MarkWriteSucceeded());

        Assert.Equal(new LedgerHealthSnapshot(LedgerHealthStatus.Degraded, "moved aside"), health.Current);
        Assert.False(health.MarkWriteSucceeded());
    }
}
