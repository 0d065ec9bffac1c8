using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ApiKeyOperator.Ledger;

public static class LedgerServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="LedgerOptions"/>, <see cref="LedgerHealth"/>, <see cref="IAuditLedger"/>
    /// (<see cref="SqliteAuditLedger"/>) and <see cref="LedgerMaintenanceService"/>,
    /// and <see cref="TimeProvider.System"/> unless a TimeProvider is already registered.
    /// </summary>
    public static IServiceCollection AddAuditLedger(this IServiceCollection services, LedgerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        services.AddSingleton<LedgerHealth>();
        services.AddSingleton<SqliteAuditLedger>();
        services.AddSingleton<IAuditLedger>(provider => provider.GetRequiredService<SqliteAuditLedger>());
        services.AddHostedService<LedgerMaintenanceService>();
        return services;
    }
}
