using ApiKeyOperator.Runtime;
using k8s;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace ApiKeyOperator.Hosting;

/// <summary>The runtime's services. Registered with TryAdd where tests may substitute (time, client).</summary>
public static class OperatorServiceCollectionExtensions
{
    public static IServiceCollection AddOperatorRuntime(this IServiceCollection services, OperatorOptions options)
    {
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(OperatorIdentity.Create());
        services.TryAddSingleton(_ => new Kubernetes(KubeconfigLoader.Load(options.Kubeconfig)));
        services.TryAddSingleton<IKubernetes>(sp => sp.GetRequiredService<Kubernetes>());
        services.AddSingleton<ApiTransport>();
        services.AddSingleton<OperatorMetrics>();
        services.AddSingleton(sp => new InformerRegistry(
            sp.GetRequiredService<ApiTransport>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>(), options.WatchNamespaces,
            options.SyncPeriod));
        services.AddSingleton(typeof(IObjectCache<>), typeof(SharedObjectCache<>));
        services.AddSingleton(typeof(IResourceClient<>), typeof(ResourceClient<>));
        services.AddSingleton(typeof(ResourceClient<>));
        services.AddSingleton(sp => new EventRecorderOptions { Instance = sp.GetRequiredService<OperatorIdentity>().Name });
        services.AddSingleton<IEventRecorder>(sp => new EventRecorder(
            sp.GetRequiredService<ApiTransport>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<EventRecorder>>(),
            sp.GetRequiredService<EventRecorderOptions>()));
        services.AddSingleton<IStatusWriter, StatusWriter>();
        services.AddSingleton<ControllerManager>();
        services.AddSingleton<IReadinessCheck, InformersSyncedCheck>();
        services.AddSingleton<LeaderElectionStatus>();
        if (options.LeaderElect)
        {
            services.AddSingleton<LeaderElection>();
            services.AddSingleton<IReadinessCheck, LeaderElectionCheck>();
            services.AddSingleton<ILivenessCheck, LeaderElectionLivenessCheck>();
        }

        return services;
    }
}
