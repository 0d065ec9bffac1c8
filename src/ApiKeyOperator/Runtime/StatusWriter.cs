using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace ApiKeyOperator.Runtime;

/// <summary>
/// <see cref="IStatusWriter"/> over the <c>/status</c> subresource: PUT with the object's resourceVersion; on
/// 409 the object is read again and the mutation re-applied, a bounded number of times.
/// </summary>
public sealed class StatusWriter : IStatusWriter
{
    private const int MaxAttempts = 5;
    private readonly ApiTransport _transport;
    private readonly ILogger _logger;

    public StatusWriter(ApiTransport transport, ILogger<StatusWriter> logger)
    {
        _transport = transport;
        _logger = logger;
    }

    public async Task<T?> UpdateAsync<T>(T current, Func<T, bool> mutate, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(mutate);
        var client = new ResourceClient<T>(_transport);
        var key = ObjectKey.Of(current);
        var latest = current;
        for (var attempt = 1; ; attempt++)
        {
            // Never mutate the caller's object: it usually comes from an informer cache.
            var copy = KubeObjects.Clone(latest);
            if (!mutate(copy))
            {
                return latest;
            }

            try
            {
                return await client.ReplaceStatusAsync(copy, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (ApiErrors.IsNotFound(e))
            {
                return null;
            }
            catch (Exception e) when (ApiErrors.IsConflict(e) && attempt < MaxAttempts)
            {
                _logger.LogDebug("Status of {Kind} {Key} changed meanwhile (attempt {Attempt}), re-reading", client.Type.Kind, key.ToString(), attempt);
                var fresh = await client.GetAsync(key, cancellationToken).ConfigureAwait(false);
                if (fresh is null)
                {
                    return null;
                }

                latest = fresh;
            }
        }
    }
}
