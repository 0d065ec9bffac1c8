using System.Text.Json.Nodes;
using ApiKeyOperator.Runtime;
using k8s;
using k8s.Models;

namespace ApiKeyOperator.Tests.Rollouts;

/// <summary>
/// One kind of workload as the API server holds it (merge patches honour a resourceVersion precondition) and
/// as an informer cache shows it, which only catches up on <see cref="Sync"/>.
/// </summary>
internal sealed class LaggingWorkloadCache<T> : IResourceClient<T>, IObjectCache<T> where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly Dictionary<ObjectKey, T> _server = [];
    private readonly Dictionary<ObjectKey, T> _cache = [];
    private int _resourceVersion;

    public List<string> Patches { get; } = [];

    public bool HasSynced => true;

    public void Seed(T obj)
    {
        obj.Metadata.ResourceVersion = (++_resourceVersion).ToString(System.Globalization.CultureInfo.InvariantCulture);
        _server[ObjectKey.Of(obj)] = obj;
        Sync();
    }

    public void Sync()
    {
        foreach (var (key, value) in _server)
        {
            _cache[key] = Clone(value);
        }
    }

    public T? Get(ObjectKey key) => _cache.GetValueOrDefault(key);

    public IReadOnlyList<T> List(string? namespaceName = null) => [.. _cache.Values.Where(v => namespaceName is null || v.Metadata.NamespaceProperty == namespaceName)];

    public Task<T> PatchAsync(ObjectKey key, string mergePatchJson, CancellationToken cancellationToken)
    {
        var current = JsonNode.Parse(KubernetesJson.Serialize(_server[key]))!.AsObject();
        var patch = JsonNode.Parse(mergePatchJson)!.AsObject();
        if (patch["metadata"]?["resourceVersion"]?.GetValue<string>() is { } version && version != _server[key].Metadata.ResourceVersion)
        {
            throw new k8s.Autorest.HttpOperationException("conflict")
            {
                Response = new k8s.Autorest.HttpResponseMessageWrapper(new HttpResponseMessage(System.Net.HttpStatusCode.Conflict), "{\"reason\":\"Conflict\"}"),
            };
        }

        Patches.Add(mergePatchJson);
        Merge(current, patch);
        var updated = KubernetesJson.Deserialize<T>(current.ToJsonString());
        updated.Metadata.ResourceVersion = (++_resourceVersion).ToString(System.Globalization.CultureInfo.InvariantCulture);
        _server[key] = updated;
        return Task.FromResult(Clone(updated));
    }

    public Task<T?> GetAsync(ObjectKey key, CancellationToken cancellationToken) => Task.FromResult(_server.TryGetValue(key, out var v) ? Clone(v) : null);

    public Task<T> CreateAsync(T obj, CancellationToken cancellationToken) => throw new InvalidOperationException("workloads are never created by the operator");

    public Task<T> ReplaceAsync(T obj, CancellationToken cancellationToken) => throw new InvalidOperationException("workloads are only patched");

    public Task<T> PatchStatusAsync(ObjectKey key, string mergePatchJson, CancellationToken cancellationToken) => throw new InvalidOperationException("workload status is never written");

    public Task<T> ReplaceStatusAsync(T obj, CancellationToken cancellationToken) => throw new InvalidOperationException("workload status is never written");

    public Task DeleteAsync(ObjectKey key, CancellationToken cancellationToken) => throw new InvalidOperationException("workloads are never deleted");

    private static void Merge(JsonObject target, JsonObject patch)
    {
        foreach (var (name, value) in patch)
        {
            if (value is JsonObject child && target[name] is JsonObject existing)
            {
                Merge(existing, child);
            }
            else
            {
                target[name] = value?.DeepClone();
            }
        }
    }

    private static T Clone(T obj) => KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(obj));
}
