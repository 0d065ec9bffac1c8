using System.CommandLine;
using ApiKeyOperator.Hosting;
using ApiKeyOperator.Runtime;
using ApiKeyOperator.Security;
using Microsoft.Extensions.DependencyInjection;

namespace ApiKeyOperator.Ledger;

/// <summary>
/// The audit ledger: SQLite file, retention, the audit trail controllers write to, a /readyz line, and
/// <c>GET /audit</c> on the metrics listener.
/// </summary>
public sealed class LedgerModule : IOperatorModule
{
    public IReadOnlyList<Option> Options => [LedgerFlags.Path, LedgerFlags.Retention];

    /// <summary>The audit trail (controllers) and the usage record behind last-used times (review).</summary>
    public IReadOnlyList<string> Components => OperatorComponents.All;

    public void ConfigureServices(IServiceCollection services, OperatorOptions options)
    {
        services.AddAuditLedger(new LedgerOptions { Path = options.GetValue(LedgerFlags.Path)!, Retention = options.GetValue(LedgerFlags.Retention) });
        services.AddSingleton(sp => new AuditRedactionMetrics(sp.GetRequiredService<OperatorMetrics>().Factory));
        services.AddSingleton<AuditTrail>();
        services.AddSingleton<IReadinessCheck, LedgerReadinessCheck>();
        services.AddSingleton(sp => new MetricsRoute("/audit", async context =>
        {
            var result = await AuditEndpoint.HandleAsync(
                context.Request.Query, sp.GetRequiredService<IAuditLedger>(), sp.GetRequiredService<TimeProvider>(), RequestCaller.Of(context), context.RequestAborted);
            await result.ExecuteAsync(context);
        }));
    }
}
