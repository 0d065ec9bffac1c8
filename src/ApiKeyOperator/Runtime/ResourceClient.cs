using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using k8s;
using k8s.Models;

namespace ApiKeyOperator.Runtime;

/// <summary>
/// <see cref="IResourceClient{T}"/> for any kind carrying a <c>KubernetesEntity</c> attribute, plus the list and
/// watch calls informers use.
/// </summary>
public sealed class ResourceClient<T> : IResourceClient<T> where T : class, IKubernetesObject<V1ObjectMeta>
{
    private const string MergePatch = "application/merge-patch+json";
    private const int PageSize = 500;
    private const string BackgroundDelete = """{"kind":"DeleteOptions","apiVersion":"v1","propagationPolicy":"Background"}""";
    private readonly ApiTransport _transport;

    public ResourceClient(ApiTransport transport)
    {
        _transport = transport;
        Type = ResourceType.Of<T>();
    }

    public ResourceType Type { get; }

    public async Task<T?> GetAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        try
        {
            return Read(await _transport.SendAsync(HttpMethod.Get, Type.ItemPath(key), null, null, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e))
        {
            return null;
        }
    }

    public async Task<T> CreateAsync(T obj, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var body = Write(obj);
        return Read(await _transport.SendAsync(HttpMethod.Post, Type.CollectionPath(obj.Metadata.NamespaceProperty), body, null, cancellationToken).ConfigureAwait(false));
    }

    public async Task<T> ReplaceAsync(T obj, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return Read(await _transport.SendAsync(HttpMethod.Put, Type.ItemPath(ObjectKey.Of(obj)), Write(obj), null, cancellationToken).ConfigureAwait(false));
    }

    public async Task<T> PatchAsync(ObjectKey key, string mergePatchJson, CancellationToken cancellationToken) =>
        Read(await _transport.SendAsync(HttpMethod.Patch, Type.ItemPath(key), mergePatchJson, MergePatch, cancellationToken).ConfigureAwait(false));

    public async Task<T> PatchStatusAsync(ObjectKey key, string mergePatchJson, CancellationToken cancellationToken) =>
        Read(await _transport.SendAsync(HttpMethod.Patch, Type.ItemPath(key) + "/status", mergePatchJson, MergePatch, cancellationToken).ConfigureAwait(false));

    public async Task<T> ReplaceStatusAsync(T obj, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return Read(await _transport.SendAsync(HttpMethod.Put, Type.ItemPath(ObjectKey.Of(obj)) + "/status", Write(obj), null, cancellationToken).ConfigureAwait(false));
    }

    public async Task DeleteAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        try
        {
            await _transport.SendAsync(HttpMethod.Delete, Type.ItemPath(key), BackgroundDelete, null, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e))
        {
            // Already gone is what the caller wanted.
        }
    }

    /// <summary>Lists every page (limit/continue) of the collection, all namespaces when <paramref name="namespaceName"/> is null.</summary>
    public async Task<ResourceList<T>> ListAsync(string? namespaceName, string? labelSelector, CancellationToken cancellationToken)
    {
        var items = new List<T>();
        string? continueToken = null;
        string resourceVersion;
        do
        {
            var query = new QueryBuilder().Add("limit", PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .Add("labelSelector", labelSelector).Add("continue", continueToken);
            var json = await _transport.SendAsync(HttpMethod.Get, Type.CollectionPath(namespaceName) + query, null, null, cancellationToken).ConfigureAwait(false);
            var page = KubernetesJson.Deserialize<ListPage<T>>(json);
            items.AddRange((page.Items ?? []).Select(i => KubeObjects.WithTypeMeta(i, Type)));
            resourceVersion = page.Metadata?.ResourceVersion ?? string.Empty;
            continueToken = page.Metadata?.ContinueProperty;
        }
        while (!string.IsNullOrEmpty(continueToken));

        return new ResourceList<T>(items, resourceVersion);
    }

    /// <summary>
    /// Watches from <paramref name="resourceVersion"/> with bookmarks until the server ends the stream (after
    /// <paramref name="timeout"/>), the token is cancelled, or no byte arrives for longer than the timeout plus a margin
    /// (a silently dead connection).
    /// </summary>
    public async IAsyncEnumerable<WatchEvent<T>> WatchAsync(
        string? namespaceName, string? labelSelector, string resourceVersion, TimeSpan timeout, TimeProvider timeProvider,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var query = new QueryBuilder().Add("watch", "true").Add("allowWatchBookmarks", "true")
            .Add("resourceVersion", resourceVersion).Add("labelSelector", labelSelector)
            .Add("timeoutSeconds", ((long)timeout.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture));

        // The server closes the stream after timeoutSeconds; a connection that died without a FIN never does, so
        // the client gives up shortly after.
        using var deadline = new CancellationTokenSource(timeout + TimeSpan.FromSeconds(30), timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token, _transport.DisabledToken);
        using var response = await _transport.OpenStreamAsync(Type.CollectionPath(namespaceName) + query, linked.Token).ConfigureAwait(false);
        await using var stream = await response.Content.ReadAsStreamAsync(linked.Token).ConfigureAwait(false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (true)
        {
            string? line;
            try
            {
                line = await reader.ReadLineAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                yield break;
            }

            if (line is null)
            {
                yield break;
            }

            if (line.Length > 0)
            {
                yield return ParseEvent(line);
            }
        }
    }

    private WatchEvent<T> ParseEvent(string line)
    {
        using var doc = JsonDocument.Parse(line);
        var type = doc.RootElement.GetProperty("type").GetString() switch
        {
            "ADDED" => WatchEventType.Added,
            "MODIFIED" => WatchEventType.Modified,
            "DELETED" => WatchEventType.Deleted,
            "BOOKMARK" => WatchEventType.Bookmark,
            _ => WatchEventType.Error,
        };
        var obj = doc.RootElement.GetProperty("object");
        return type == WatchEventType.Error
            ? new WatchEvent<T>(type, null, KubernetesJson.Deserialize<V1Status>(obj))
            : new WatchEvent<T>(type, KubeObjects.WithTypeMeta(KubernetesJson.Deserialize<T>(obj), Type), null);
    }

    private T Read(string json) => KubeObjects.WithTypeMeta(KubernetesJson.Deserialize<T>(json), Type);

    private string Write(T obj) => KubernetesJson.Serialize(KubeObjects.WithTypeMeta(obj, Type));
}
