using ApiKeyOperator.Controllers.ApiKeyRotations;
using ApiKeyOperator.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ApiKeyOperator.Controllers;

/// <summary>Services both controllers share: the requester resolver, the audit outbox, read-your-writes, rotation metrics.</summary>
public static class ControllerServices
{
    public static IServiceCollection AddControllerShared(this IServiceCollection services)
    {
        // The requester of every audit row: what the admission webhook recorded, verified (Identity/).
        services.AddRequesterIdentity();
        services.TryAddSingleton<AuditOutbox>();
        services.TryAddSingleton<WriteExpectations>();
        services.TryAddSingleton<RotationMetrics>();
        return services;
    }
}
