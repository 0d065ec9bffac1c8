using System.Net;
using System.Text.Json.Nodes;
using ApiKeyOperator.Runtime;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace ApiKeyOperator.Tests.Controllers;

/// <summary>
/// One kind's objects as an API server and an informer cache would hold them: resourceVersion checks on
/// PUT, finalizer-aware deletion, a request log. The cache follows the server unless <see cref="FreezeCache"/>
/// makes it lag, as a real informer can.
/// </summary>
internal sealed class FakeResource<T> : IResourceClient<T>, IObjectCache<T> where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly Dictionary<ObjectKey, T> _server = [];
    private readonly Dictionary<ObjectKey, T> _cache = [];
    private int _resourceVersion;
    private bool _cacheFrozen;

    public List<string> Requests { get; } = [];

    public IEnumerable<string> Writes => Requests.Where(r => !r.StartsWith("GET", StringComparison.Ordinal));

    /// <summary>Objects the cache does not show even when the server has them (a label-scoped informer).</summary>
    public Func<T, bool> CacheFilter { get; set; } = _ => true;

    public Func<T, Exception?> FailStatusWrites { get; set; } = _ => null;

    public bool HasSynced => true;

    public T? Stored(ObjectKey key) => _server.TryGetValue(key, out var value) ? Clone(value) : null;

    /// <summary>Puts an object on the server as if another client had written it.</summary>
    public T Seed(T obj)
    {
        obj.Metadata.ResourceVersion = (++_resourceVersion).ToString(System.Globalization.CultureInfo.InvariantCulture);
        obj.Metadata.Uid ??= Guid.NewGuid().ToString();
        obj.Metadata.Generation ??= 1;
        Store(obj);
        return Clone(obj);
    }

    public void FreezeCache() => _cacheFrozen = true;

    public void SyncCache()
    {
        _cacheFrozen = false;
        _cache.Clear();
        foreach (var (key, value) in _server)
        {
            _cache[key] = Clone(value);
        }
    }

    public T? Get(ObjectKey key) => _cache.TryGetValue(key, out var value) && CacheFilter(value) ? value : null;

    public IReadOnlyList<T> List(string? namespaceName = null) =>
        [.. _cache.Values.Where(v => CacheFilter(v) && (namespaceName is null || v.Metadata.NamespaceProperty == namespaceName))];

    public Task<T?> GetAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        Requests.Add($"GET {key}");
        return Task.FromResult(Stored(key));
    }

    public Task<T> CreateAsync(T obj, CancellationToken cancellationToken)
    {
        Requests.Add($"CREATE {ObjectKey.Of(obj)}");
        if (_server.ContainsKey(ObjectKey.Of(obj)))
        {
            throw Error(HttpStatusCode.Conflict, "AlreadyExists");
        }

        obj = Clone(obj);
        obj.Metadata.Uid = Guid.NewGuid().ToString();
        obj.Metadata.Generation = 1;
        return Task.FromResult(Write(obj));
    }

    public Task<T> ReplaceAsync(T obj, CancellationToken cancellationToken)
    {
        Requests.Add($"REPLACE {ObjectKey.Of(obj)}");
        return Task.FromResult(Write(CheckVersion(obj)));
    }

    public Task<T> PatchAsync(ObjectKey key, string mergePatchJson, CancellationToken cancellationToken)
    {
        Requests.Add($"PATCH {key} {mergePatchJson}");
        var current = Stored(key) ?? throw Error(HttpStatusCode.NotFound);
        var patch = JsonNode.Parse(mergePatchJson)!["metadata"]!;
        if (patch["resourceVersion"]?.GetValue<string>() is { } version && version != current.Metadata.ResourceVersion)
        {
            throw Error(HttpStatusCode.Conflict);
        }

        current.Metadata.Finalizers = patch["finalizers"]!.AsArray().Select(f => f!.GetValue<string>()).ToList();
        if (current.Metadata.DeletionTimestamp is not null && current.Metadata.Finalizers.Count == 0)
        {
            _server.Remove(key);
            _cache.Remove(key);
            return Task.FromResult(current);
        }

        return Task.FromResult(Write(current));
    }

    /// <summary>RFC 7386 merge patch of the status alone, with no resourceVersion check (as the server does without one).</summary>
    public Task<T> PatchStatusAsync(ObjectKey key, string mergePatchJson, CancellationToken cancellationToken)
    {
        Requests.Add($"PATCHSTATUS {key} {mergePatchJson}");
        var current = Stored(key) ?? throw Error(HttpStatusCode.NotFound);
        var document = JsonNode.Parse(KubernetesJson.Serialize(current))!.AsObject();
        if (JsonNode.Parse(mergePatchJson)!["status"] is JsonObject statusPatch)
        {
            document["status"] = Merge(document["status"], statusPatch);
        }

        return Task.FromResult(Write(KubernetesJson.Deserialize<T>(document.ToJsonString())));
    }

    public Task<T> ReplaceStatusAsync(T obj, CancellationToken cancellationToken)
    {
        Requests.Add($"STATUS {ObjectKey.Of(obj)}");
        if (FailStatusWrites(obj) is { } failure)
        {
            throw failure;
        }

        var current = CheckVersion(obj);
        var stored = Stored(ObjectKey.Of(obj))!;
        typeof(T).GetProperty("Status")!.SetValue(stored, typeof(T).GetProperty("Status")!.GetValue(current));
        return Task.FromResult(Write(stored));
    }

    public Task DeleteAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        Requests.Add($"DELETE {key}");
        if (_server.TryGetValue(key, out var value))
        {
            if (value.Metadata.Finalizers is { Count: > 0 })
            {
                value.Metadata.DeletionTimestamp ??= DateTime.UtcNow;
                Store(value);
            }
            else
            {
                _server.Remove(key);
                if (!_cacheFrozen)
                {
                    _cache.Remove(key);
                }
            }
        }

        return Task.CompletedTask;
    }

    public static HttpOperationException Error(HttpStatusCode status, string? reason = null) => new($"HTTP {status}")
    {
        Response = new HttpResponseMessageWrapper(new HttpResponseMessage(status), ""),
        Body = new V1Status { Reason = reason ?? status.ToString() },
    };

    private static JsonNode? Merge(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target is JsonObject targetObject ? targetObject.DeepClone().AsObject() : new JsonObject();
        foreach (var (name, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(name);
            }
            else
            {
                result[name] = Merge(result[name], value);
            }
        }

        return result;
    }

    private T CheckVersion(T obj)
    {
        var current = Stored(ObjectKey.Of(obj)) ?? throw Error(HttpStatusCode.NotFound);
        return obj.Metadata.ResourceVersion == current.Metadata.ResourceVersion ? Clone(obj) : throw Error(HttpStatusCode.Conflict);
    }

    private T Write(T obj)
    {
        obj.Metadata.ResourceVersion = (++_resourceVersion).ToString(System.Globalization.CultureInfo.InvariantCulture);
        Store(obj);
        return Clone(obj);
    }

    private void Store(T obj)
    {
        var key = ObjectKey.Of(obj);
        _server[key] = Clone(obj);
        if (!_cacheFrozen)
        {
            _cache[key] = Clone(obj);
        }
    }

    private static TValue Clone<TValue>(TValue value) => KubernetesJson.Deserialize<TValue>(KubernetesJson.Serialize(value));
}
