using System.Security.Cryptography;
using ApiKeyOperator.Admission;
using ApiKeyOperator.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace ApiKeyOperator.Identity;

/// <summary>
/// The requester resolver and what it verifies with: the requester key and the operator's own user. With the
/// webhook (<c>--webhook-bind-address</c>) the key is the one every replica shares through a Secret, loaded at
/// start; without it nothing can record a requester but the operator's own stamps, and the key is this process's
/// own (a rotation it created is recognised as its own until it restarts).
/// </summary>
public static class IdentityServices
{
    public static IServiceCollection AddRequesterIdentity(this IServiceCollection services)
    {
        services.TryAddSingleton(sp => WebhookEnabled(sp.GetRequiredService<OperatorOptions>()) ? new RequesterKey() : new RequesterKey(RandomNumberGenerator.GetBytes(32)));
        services.TryAddSingleton<RequesterSigner>();
        services.TryAddSingleton(sp => OperatorUser.Detect(sp.GetRequiredService<OperatorOptions>().GetValue(AdmissionFlags.OperatorUsername)));
        services.TryAddSingleton<IRequesterResolver, VerifiedRequesterResolver>();
        return services;
    }

    /// <summary>The shared key, from the Secret <see cref="RequesterKeyStore.SecretName"/>; start-up waits for it.</summary>
    public static IServiceCollection AddSharedRequesterKey(this IServiceCollection services)
    {
        services.TryAddSingleton<RequesterKeyStore>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, RequesterKeyStore>(sp => sp.GetRequiredService<RequesterKeyStore>()));
        return services;
    }

    private static bool WebhookEnabled(OperatorOptions options) => BindAddress.Parse(options.GetValue(AdmissionFlags.BindAddress)) is not null;
}
