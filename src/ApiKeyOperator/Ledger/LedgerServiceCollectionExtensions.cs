using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Prometheus;

namespace ApiKeyOperator.Ledger;

public static class LedgerServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="LedgerOptions"/>, <see cref="LedgerHealth"/>, <see cref="IAuditLedger"/>
    /// (<see cref="PostgresAuditLedger"/> when <see cref="LedgerOptions.Postgres"/> is set, else
    /// <see cref="SqliteAuditLedger"/>), <see cref="LedgerMaintenanceService"/>, <see cref="AuditMetrics"/> on a registry
    /// of their own unless registered before, and <see cref="TimeProvider.System"/> unless a TimeProvider is.
    /// An <see cref="IAuditStream"/> registered before is used.
    /// </summary>
    public static IServiceCollection AddAuditLedger(this IServiceCollection services, LedgerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => new AuditMetrics(Metrics.WithCustomRegistry(Metrics.NewCustomRegistry())));
        services.AddSingleton(options);
        services.AddSingleton<LedgerHealth>();
        if (options.Postgres is null)
        {
            services.AddSingleton<SqliteAuditLedger>();
            services.AddSingleton<IAuditLedger>(provider => provider.GetRequiredService<SqliteAuditLedger>());
        }
        else
        {
            services.AddSingleton<PostgresAuditLedger>();
            services.AddSingleton<IAuditLedger>(provider => provider.GetRequiredService<PostgresAuditLedger>());
        }

        services.AddHostedService<LedgerMaintenanceService>();
        return services;
    }
}
