using ApiKeyOperator.Api;
using ApiKeyOperator.Runtime;
using k8s;

namespace ApiKeyOperator.Controllers.ApiKeyRotations;

/// <summary>
/// Writes a rotation's status (or an ApiKey's) only when a mutation really changed it, so a resync of an
/// unchanged world costs no API call. Change is judged on the serialised status, which covers every field.
/// </summary>
public sealed class RotationStatusWriter(IStatusWriter writer)
{
    public Task<ApiKeyRotation?> WriteAsync(ApiKeyRotation rotation, Action<ApiKeyRotation> mutate, CancellationToken cancellationToken) =>
        writer.UpdateAsync(rotation, r => Mutated(r, x => x.Status, mutate), cancellationToken);

    public Task<ApiKey?> WriteAsync(ApiKey apiKey, Action<ApiKey> mutate, CancellationToken cancellationToken) =>
        writer.UpdateAsync(apiKey, k => Mutated(k, x => x.Status, mutate), cancellationToken);

    private static bool Mutated<T, TStatus>(T obj, Func<T, TStatus?> status, Action<T> mutate)
    {
        var before = KubernetesJson.Serialize(status(obj));
        mutate(obj);
        return before != KubernetesJson.Serialize(status(obj));
    }
}
