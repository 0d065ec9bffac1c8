using ApiKeyOperator.Runtime;
using k8s.Models;

namespace ApiKeyOperator.Tests.Runtime;

/// <summary>Writes a Secret, then marks the ConfigMap: two writes a crash can fall between.</summary>
internal sealed class TwoWriteReconciler(IResourceClient<V1Secret> secrets, IResourceClient<V1ConfigMap> configMaps) : IReconciler<V1ConfigMap>
{
    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        if (await secrets.GetAsync(key with { Name = $"{key.Name}-secret" }, cancellationToken) is null)
        {
            await secrets.CreateAsync(
                new V1Secret { Metadata = new V1ObjectMeta { Name = $"{key.Name}-secret", NamespaceProperty = key.Namespace } }, cancellationToken);
        }

        await configMaps.PatchAsync(key, """{"metadata":{"annotations":{"test/done":"true"}}}""", cancellationToken);
        return ReconcileResult.Done;
    }
}
