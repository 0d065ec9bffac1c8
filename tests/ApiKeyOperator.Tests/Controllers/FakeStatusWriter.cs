using ApiKeyOperator.Runtime;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace ApiKeyOperator.Tests.Controllers;

/// <summary>IStatusWriter over a <see cref="FakeResource{T}"/>: read latest, mutate, PUT /status, retry on 409.</summary>
internal sealed class FakeStatusWriter<TResource>(FakeResource<TResource> resource) : IStatusWriter
    where TResource : class, IKubernetesObject<V1ObjectMeta>
{
    public async Task<T?> UpdateAsync<T>(T current, Func<T, bool> mutate, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        for (var attempt = 0; ; attempt++)
        {
            var latest = (T?)(object?)resource.Stored(ObjectKey.Of(current));
            if (latest is null)
            {
                return null;
            }

            if (!mutate(latest))
            {
                return latest;
            }

            try
            {
                return (T)(object)await resource.ReplaceStatusAsync((TResource)(object)latest, cancellationToken);
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.Conflict && attempt < 3)
            {
            }
        }
    }
}
