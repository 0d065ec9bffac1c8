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
/// The ApiKeyRotation controller: watches rotations, their ApiKeys and the three workload kinds, each mapped
/// through <see cref="RotationIndex"/> to exactly the rotations that must act: the running one and the head of the
/// queue, never every waiting rotation (so a long queue costs linear time).
/// </summary>
public sealed class ApiKeyRotationModule : IOperatorModule
{
    public void ConfigureServices(IServiceCollection services, OperatorOptions options)
    {
        var index = new RotationIndex();
        services.AddSingleton(index);
        services.AddControllerShared();
        services.TryAddSingleton(new KeyGenerator());
        services.TryAddSingleton<Workloads>();
        services.AddController<ApiKeyRotation, ApiKeyRotationReconciler>(b => b
            .Named("apikeyrotation")
            .Watches<ApiKey>(k => index.Acting(k.Metadata.NamespaceProperty, k.Metadata.Name))
            // A rotation that finishes, goes away or starts lets the head of its ApiKey's queue act.
            .Watches<ApiKeyRotation>(r => index.Acting(r.Metadata.NamespaceProperty, r.Spec.ApiKeyName))
            .Watches<V1Deployment>(d => index.ForWorkload(d.Metadata.NamespaceProperty, new WorkloadRef(WorkloadKinds.Deployment, d.Metadata.Name)))
            .Watches<V1StatefulSet>(s => index.ForWorkload(s.Metadata.NamespaceProperty, new WorkloadRef(WorkloadKinds.StatefulSet, s.Metadata.Name)))
            .Watches<V1DaemonSet>(d => index.ForWorkload(d.Metadata.NamespaceProperty, new WorkloadRef(WorkloadKinds.DaemonSet, d.Metadata.Name))));
    }
}
