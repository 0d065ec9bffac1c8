using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ApiKeyOperator.Runtime;

/// <summary>What <see cref="ControllerServiceCollectionExtensions.AddController{T, TReconciler}"/> registers.</summary>
internal sealed class ControllerRegistration<T, TReconciler> : IControllerRegistration
    where T : class, IKubernetesObject<V1ObjectMeta>
    where TReconciler : class, IReconciler<T>
{
    private readonly ControllerBuilder<T> _builder;

    public ControllerRegistration(ControllerBuilder<T> builder)
    {
        _builder = builder;
    }

    public string Name => _builder.Name;

    public void DeclareInformers(InformerRegistry informers) => _builder.DeclareInformers(informers);

    public IController Build(IServiceProvider services, int defaultMaxConcurrentReconciles)
    {
        var informers = services.GetRequiredService<InformerRegistry>();
        var metrics = services.GetRequiredService<OperatorMetrics>();
        var time = services.GetRequiredService<TimeProvider>();
        var reconciler = ActivatorUtilities.GetServiceOrCreateInstance<TReconciler>(services);
        var queue = new WorkQueue(Name, time, metrics.WorkQueues);
        var controller = new Controller<T>(
            Name,
            reconciler,
            queue,
            _builder.MaxConcurrentReconciles ?? defaultMaxConcurrentReconciles,
            time,
            metrics.Controllers,
            services.GetRequiredService<ILoggerFactory>().CreateLogger($"ApiKeyOperator.Controller.{Name}"));
        _builder.Connect(informers, queue, services);
        return controller;
    }
}
