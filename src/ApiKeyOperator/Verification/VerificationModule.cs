using System.CommandLine;
using ApiKeyOperator.Hosting;
using ApiKeyOperator.Usage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ApiKeyOperator.Verification;

/// <summary>The ApiKeyReview endpoint and last-used tracking (usage aggregated in memory, flushed to ApiKey status).</summary>
public sealed class VerificationModule : IOperatorModule
{
    public IReadOnlyList<Option> Options => ReviewFlags.All;

    public void ConfigureServices(IServiceCollection services, OperatorOptions options)
    {
        services.AddSingleton<KeyIndex>();
        services.TryAddSingleton(new UsageOptions());
        services.AddSingleton<UsageAggregator>();
        services.AddSingleton<IKeyUsageSink>(sp => sp.GetRequiredService<UsageAggregator>());
        services.AddSingleton<UsageFlusher>();
        services.AddHostedService<UsageFlushService>();
        services.AddSingleton<VerificationService>();
        services.AddHostedService(sp => sp.GetRequiredService<VerificationService>());
    }
}
