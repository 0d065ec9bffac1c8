using ApiKeyOperator.Api;
using ApiKeyOperator.Hosting;
using ApiKeyOperator.Rollouts;
using ApiKeyOperator.Runtime;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ApiKeyOperator.Controllers.ApiKeys;

/// <summary>
/// The ApiKey controller: ApiKeys, the Secrets they own (label-scoped, so foreign Secrets stay out of the
/// cache), the ApiKeyRotations naming them, since rotations publish the decisions this controller carries out,
/// and the workloads their <c>spec.rollout.targets</c> name (for the RolloutTargetsFound condition).
/// </summary>
public sealed class ApiKeyModule : IOperatorModule
{
    public void ConfigureServices(IServiceCollection services, OperatorOptions options)
    {
        services.AddControllerShared();
        services.TryAddSingleton<Workloads>();
        services.AddController<ApiKey, ApiKeyReconciler>(b => b
            .Named("apikey")
            .Owns<V1Secret>(WellKnown.ApiKeyLabel)
            .Watches<ApiKeyRotation>(r => [new ObjectKey(r.Metadata.NamespaceProperty, r.Spec.ApiKeyName)])
            .Watches<V1Deployment>(NamingTarget<V1Deployment>(WorkloadKinds.Deployment))
            .Watches<V1StatefulSet>(NamingTarget<V1StatefulSet>(WorkloadKinds.StatefulSet))
            .Watches<V1DaemonSet>(NamingTarget<V1DaemonSet>(WorkloadKinds.DaemonSet)));
        services.AddHostedService<ApiKeyExpiryMetrics>();
        services.AddHostedService<LeftoverKeyMetrics>();
    }

    // A workload's change wakes the ApiKeys of its namespace that name it as an explicit rollout target.
    private static Func<IServiceProvider, Func<TWorkload, IEnumerable<ObjectKey>>> NamingTarget<TWorkload>(string kind)
        where TWorkload : class, IKubernetesObject<V1ObjectMeta> => services =>
    {
        var apiKeys = services.GetRequiredService<IObjectCache<ApiKey>>();
        return workload => apiKeys.List(workload.Metadata.NamespaceProperty)
            .Where(k => k.Spec.Rollout?.Targets?.Any(t => t.Kind == kind && t.Name == workload.Metadata.Name) == true)
            .Select(ObjectKey.Of)
            .ToList();
    };
}
