using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ApiKeyOperator.Ledger;

public static class LedgerServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="LedgerOptions"/>, <see cref="LedgerHealth"/>, <see cref="IAuditLedger"/>
    /// (<see cref="SqliteAuditLedger"/>), <see cref="LastUsedBatcher"/>, <see cref="UsageRecorder"/> and
    /// <see cref="LedgerMaintenanceService"/>,
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
        services.AddSingleton(provider => new LastUsedBatcher(provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<UsageRecorder>();
        services.AddHostedService<LedgerMaintenanceService>();
        return services;
    }

    /// <summary>Runs <see cref="LastUsedStatusPump"/> writing through <typeparamref name="TSink"/>; needs <see cref="AddAuditLedger"/>.</summary>
    public static IServiceCollection AddLastUsedStatusPump<TSink>(this IServiceCollection services)
        where TSink : class, ILastUsedStatusSink
    {
        services.AddSingleton<ILastUsedStatusSink, TSink>();
        services.AddHostedService<LastUsedStatusPump>();
        return services;
    }
}
