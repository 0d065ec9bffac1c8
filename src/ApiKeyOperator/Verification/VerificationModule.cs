using System.CommandLine;
using ApiKeyOperator.Hosting;
using ApiKeyOperator.Ledger;
using Microsoft.Extensions.DependencyInjection;

namespace ApiKeyOperator.Verification;

/// <summary>The ApiKeyReview endpoint and last-used tracking; needs <see cref="LedgerModule"/> for usage.</summary>
public sealed class VerificationModule : IOperatorModule
{
    public IReadOnlyList<Option> Options => ReviewFlags.All;

    public IReadOnlyList<string> Components => [OperatorComponents.Review];

    public void ConfigureServices(IServiceCollection services, OperatorOptions options)
    {
        services.AddSingleton<KeyIndex>();
        services.AddSingleton<IKeyUsageSink, LedgerUsageSink>();
        services.AddLastUsedStatusPump<LastUsedStatusSink>();
        services.AddSingleton<VerificationService>();
        services.AddHostedService(sp => sp.GetRequiredService<VerificationService>());
    }
}
