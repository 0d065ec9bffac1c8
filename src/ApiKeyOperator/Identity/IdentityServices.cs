using ApiKeyOperator.Admission;
using ApiKeyOperator.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace ApiKeyOperator.Identity;

/// <summary>The requester resolver and what it verifies with: the shared requester key (loaded at start) and the operator's own user.</summary>
public static class IdentityServices
{
    public static IServiceCollection AddRequesterIdentity(this IServiceCollection services)
    {
        services.TryAddSingleton<RequesterKey>();
        services.TryAddSingleton<RequesterSigner>();
        services.TryAddSingleton(sp => OperatorUser.Detect(sp.GetRequiredService<OperatorOptions>().GetValue(AdmissionFlags.OperatorUsername)));
        services.TryAddSingleton<RequesterKeyStore>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, RequesterKeyStore>(sp => sp.GetRequiredService<RequesterKeyStore>()));
        services.TryAddSingleton<IRequesterResolver, VerifiedRequesterResolver>();
        return services;
    }
}
