using System.Net;
using ApiKeyOperator.Api;
using ApiKeyOperator.Runtime;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ApiKeyOperator.IntegrationTests.ApiKeys;

/// <summary>
/// Holds an operator between its Secret write and the ApiKey status write that records the key: the pending-key write
/// (persisted before the Secret) goes through, the final one fails with a 500 while <see cref="Armed"/>. KubeSim's
/// fault injector fails every write of a resource, which would stop the operator before the Secret instead.
/// </summary>
public sealed class FinalStatusFault
{
    private volatile bool _armed = true;

    public bool Armed
    {
        get => _armed;
        set => _armed = value;
    }

    public int Refused { get; private set; }

    public void Install(IServiceCollection services) =>
        services.AddSingleton<IStatusWriter>(sp => new Writer(new StatusWriter(sp.GetRequiredService<ApiTransport>(), sp.GetRequiredService<ILogger<StatusWriter>>()), this));

    private sealed class Writer(IStatusWriter inner, FinalStatusFault fault) : IStatusWriter
    {
        public Task<T?> UpdateAsync<T>(T current, Func<T, bool> mutate, CancellationToken cancellationToken)
            where T : class, IKubernetesObject<V1ObjectMeta> =>
            inner.UpdateAsync<T>(current, obj =>
            {
                var changed = mutate(obj);
                if (fault.Armed && obj is ApiKey { Status.PendingKey: null, Status.Keys.Count: > 0 } && obj.Metadata.DeletionTimestamp is null
                    && current is ApiKey { Status.PendingKey: not null })
                {
                    fault.Refused++;
                    throw new HttpOperationException("injected: final ApiKey status write refused")
                    {
                        Response = new HttpResponseMessageWrapper(new HttpResponseMessage(HttpStatusCode.InternalServerError), ""),
                    };
                }

                return changed;
            }, cancellationToken);
    }
}
