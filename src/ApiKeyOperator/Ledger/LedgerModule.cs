using System.CommandLine;
using ApiKeyOperator.Hosting;
using ApiKeyOperator.Runtime;
using ApiKeyOperator.Security;
using Microsoft.Extensions.DependencyInjection;

namespace ApiKeyOperator.Ledger;

/// <summary>
/// The audit ledger: SQLite file or PostgreSQL, retention, the optional JSON-lines stream, the audit trail
/// controllers write to with its backlog metric, a /readyz line, and <c>GET /audit</c> on the metrics listener.
/// </summary>
public sealed class LedgerModule : IOperatorModule
{
    public IReadOnlyList<Option> Options => [LedgerFlags.Path, LedgerFlags.Ledger, LedgerFlags.LedgerFile, LedgerFlags.AuditLog, LedgerFlags.Retention];

    /// <summary>The audit trail (controllers) and the usage record behind last-used times (review).</summary>
    public IReadOnlyList<string> Components => OperatorComponents.All;

    public void ConfigureServices(IServiceCollection services, OperatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var explicitPath = options.CommandLine?.GetResult(LedgerFlags.Path) is { Implicit: false } ? options.GetValue(LedgerFlags.Path) : null;
        var ledger = LedgerLocation.Resolve(
            new LedgerOptions { Retention = options.GetValue(LedgerFlags.Retention) },
            options.GetValue(LedgerFlags.Ledger),
            options.GetValue(LedgerFlags.LedgerFile),
            explicitPath,
            Environment.GetEnvironmentVariable);
        if (ledger.Postgres is null)
        {
            try
            {
                // An operator pointed at the wrong file refuses to start rather than run beside it, degraded.
                SqliteLedgerFile.RefuseIfNotSqlite(Path.GetFullPath(ledger.Path));
            }
            catch (LedgerSchemaException e)
            {
                throw new OperatorConfigurationException(e.Message);
            }
        }

        if (options.GetValue(LedgerFlags.AuditLog) is { } auditLog)
        {
            services.AddSingleton<IAuditStream>(OpenStream(auditLog));
        }

        services.AddSingleton(sp => new AuditMetrics(sp.GetRequiredService<OperatorMetrics>().Factory));
        services.AddAuditLedger(ledger);
        services.AddSingleton<AuditBacklog>();
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

    private static AuditLogStream OpenStream(string target)
    {
        if (string.IsNullOrWhiteSpace(target))
        {
            throw new OperatorConfigurationException("--audit-log must be 'stdout' or a file path");
        }

        var stream = new AuditLogStream(target, Console.Out);
        if (stream.Target != AuditLogStream.Stdout)
        {
            try
            {
                // Found out now, not at the first audit row: the file must be writable.
                using var probe = new FileStream(stream.Target, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new OperatorConfigurationException($"--audit-log {target}: {e.Message}");
            }
        }

        return stream;
    }
}
