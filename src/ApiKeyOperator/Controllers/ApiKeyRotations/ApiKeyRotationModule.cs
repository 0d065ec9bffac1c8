using ApiKeyOperator.Api;
using ApiKeyOperator.Hosting;
using ApiKeyOperator.Keys;
using ApiKeyOperator.Rollouts;
using ApiKeyOperator.Runtime;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ApiKeyOperator.Controllers.ApiKeyRotations;

/// <summary>
/// The ApiKeyRotation controller: watches rotations, their ApiKeys (the key being issued) and the three
/// workload kinds (readiness of the dependents), each mapped through <see cref="RotationIndex"/> to exactly
/// the rotations that care.
/// </summary>
public sealed class ApiKeyRotationModule : IOperatorModule
{
    public void ConfigureServices(IServiceCollection services, OperatorOptions options)
    {
        var index = new RotationIndex();
        services.AddSingleton(index);
        services.TryAddSingleton(new KeyGenerator());
        services.TryAddSingleton<Workloads>();
        services.TryAddSingleton<RotationStatusWriter>();
        services.AddSingleton<RotationMetrics>();
        services.AddSingleton<RotationFailure>();
        services.AddSingleton<RotationStart>();
        services.AddSingleton<RotationRollout>();
        services.AddSingleton<RotationRevocation>();
        services.AddController<ApiKeyRotation, ApiKeyRotationReconciler>(b => b
            .Named("apikeyrotation")
            .Watches<ApiKey>(k => index.ForApiKey(k.Metadata.NamespaceProperty, k.Metadata.Name))
            // A rotation that finishes or goes away lets the next one of its ApiKey start.
            .Watches<ApiKeyRotation>(r => index.ForApiKey(r.Metadata.NamespaceProperty, r.Spec.ApiKeyName))
            .Watches<V1Deployment>(d => index.ForWorkload(d.Metadata.NamespaceProperty, new WorkloadRef(WorkloadKinds.Deployment, d.Metadata.Name)))
            .Watches<V1StatefulSet>(s => index.ForWorkload(s.Metadata.NamespaceProperty, new WorkloadRef(WorkloadKinds.StatefulSet, s.Metadata.Name)))
            .Watches<V1DaemonSet>(d => index.ForWorkload(d.Metadata.NamespaceProperty, new WorkloadRef(WorkloadKinds.DaemonSet, d.Metadata.Name))));
    }
}
