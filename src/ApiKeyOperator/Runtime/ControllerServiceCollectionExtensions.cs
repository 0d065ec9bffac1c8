using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;

namespace ApiKeyOperator.Runtime;

/// <summary>Registration of controllers with the operator host.</summary>
public static class ControllerServiceCollectionExtensions
{
    /// <summary>
    /// Adds a controller reconciling <typeparamref name="T"/> with <typeparamref name="TReconciler"/> (taken from DI
    /// when registered there, else constructed from DI services once per host).
    /// <code>services.AddController&lt;ApiKey, ApiKeyReconciler&gt;(b => b.Owns&lt;V1Secret&gt;("apikeyoperator.io/apikey"));</code>
    /// </summary>
    public static IServiceCollection AddController<T, TReconciler>(this IServiceCollection services, Action<ControllerBuilder<T>>? configure = null)
        where T : class, IKubernetesObject<V1ObjectMeta>
        where TReconciler : class, IReconciler<T>
    {
        var builder = new ControllerBuilder<T>();
        configure?.Invoke(builder);
        services.AddSingleton<IControllerRegistration>(new ControllerRegistration<T, TReconciler>(builder));
        return services;
    }
}
