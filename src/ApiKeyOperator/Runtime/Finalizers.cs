using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace ApiKeyOperator.Runtime;

/// <summary>
/// Finalizer helpers. Changes are JSON merge patches that carry metadata.resourceVersion, so a patch based on a
/// stale copy fails with 409 instead of dropping someone else's finalizer.
/// </summary>
public static class Finalizers
{
    public static bool Has(IKubernetesObject<V1ObjectMeta> obj, string finalizer)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return obj.Metadata.Finalizers?.Contains(finalizer) == true;
    }

    /// <summary>Adds the finalizer unless present; returns the object as stored.</summary>
    public static async Task<T> AddAsync<T>(IResourceClient<T> client, T obj, string finalizer, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(client);
        if (Has(obj, finalizer))
        {
            return obj;
        }

        var finalizers = (obj.Metadata.Finalizers ?? []).Append(finalizer);
        return await client.PatchAsync(ObjectKey.Of(obj), Patch(obj, finalizers), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes the finalizer if present; returns the object as stored, or null when it is gone (deleted once released).</summary>
    public static async Task<T?> RemoveAsync<T>(IResourceClient<T> client, T obj, string finalizer, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(client);
        if (!Has(obj, finalizer))
        {
            return obj;
        }

        try
        {
            return await client.PatchAsync(ObjectKey.Of(obj), Patch(obj, obj.Metadata.Finalizers!.Where(f => f != finalizer)), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e))
        {
            return null;
        }
    }

    private static string Patch(IKubernetesObject<V1ObjectMeta> obj, IEnumerable<string> finalizers) =>
        new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["finalizers"] = new JsonArray([.. finalizers.Select(f => (JsonNode?)JsonValue.Create(f))]),
                ["resourceVersion"] = obj.Metadata.ResourceVersion,
            },
        }.ToJsonString();
}
