using ApiKeyOperator.Api;
using ApiKeyOperator.Hosting;
using ApiKeyOperator.Runtime;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;

namespace ApiKeyOperator.Controllers.ApiKeys;

/// <summary>
/// The ApiKey controller: ApiKeys, the Secrets they own (label-scoped, so foreign Secrets stay out of the
/// cache), and the ApiKeyRotations naming them, since rotations publish the decisions this controller carries out.
/// </summary>
public sealed class ApiKeyModule : IOperatorModule
{
    public void ConfigureServices(IServiceCollection services, OperatorOptions options)
    {
        services.AddControllerShared();
        services.AddController<ApiKey, ApiKeyReconciler>(b => b
            .Named("apikey")
            .Owns<V1Secret>(WellKnown.ApiKeyLabel)
            .Watches<ApiKeyRotation>(r => [new ObjectKey(r.Metadata.NamespaceProperty, r.Spec.ApiKeyName)]));
        services.AddHostedService<ApiKeyExpiryMetrics>();
        services.AddHostedService<LeftoverKeyMetrics>();
    }
}
