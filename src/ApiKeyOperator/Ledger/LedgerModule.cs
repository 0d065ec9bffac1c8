using ApiKeyOperator.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace ApiKeyOperator.Ledger;

/// <summary>The audit ledger: SQLite file, retention, the audit trail controllers write to, and a /readyz line.</summary>
public sealed class LedgerModule : IOperatorModule
{
    public void ConfigureServices(IServiceCollection services, OperatorOptions options)
    {
        services.AddAuditLedger(new LedgerOptions { Path = options.LedgerPath, Retention = options.AuditRetention });
        services.AddSingleton<AuditTrail>();
        services.AddSingleton<IReadinessCheck, LedgerReadinessCheck>();
        services.AddSingleton(sp => new MetricsRoute("/audit", async context =>
        {
            var result = await AuditEndpoint.HandleAsync(
                context.Request.Query, sp.GetRequiredService<IAuditLedger>(), sp.GetRequiredService<TimeProvider>(), context.RequestAborted);
            await result.ExecuteAsync(context);
        }));
    }
}
