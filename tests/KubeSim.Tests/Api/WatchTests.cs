using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Xunit;

namespace KubeSim.Tests.Api;

public sealed class WatchTests : SimTestBase
{
    protected override KubeSimOptions Options => new()
    {
        RunControllers = false,
        WatchHistoryWindow = 20,
        BookmarkInterval = TimeSpan.FromMilliseconds(100),
    };

    private static async Task<List<(WatchEventType Type, T Object)>> TakeAsync<T>(IAsyncEnumerable<(WatchEventType, T)> events, int count, Func<WatchEventType, bool>? include = null)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        var result = new List<(WatchEventType, T)>();
        await foreach (var (type, obj) in events.WithCancellation(timeout.Token))
        {
            if (include is null || include(type))
            {
                result.Add((type, obj));
            }

            if (result.Count == count)
            {
                break;
            }
        }

        Assert.Equal(count, result.Count);
        return result;
    }

    [Fact]
    public async Task WatchAsync_from_a_list_version_sees_added_modified_deleted_in_order()
    {
        var ns = await NewNamespaceAsync();
        var list = await Client.CoreV1.ListNamespacedSecretAsync(ns, cancellationToken: Ct);
        var events = Client.CoreV1.WatchListNamespacedSecretAsync(ns, resourceVersion: list.Metadata.ResourceVersion, cancellationToken: Ct);
        var taking = TakeAsync(events, 3);

        var created = await Client.CoreV1.CreateNamespacedSecretAsync(Secret("s"), ns, cancellationToken: Ct);
        created.Metadata.Labels = new Dictionary<string, string> { ["v"] = "2" };
        await Client.CoreV1.ReplaceNamespacedSecretAsync(created, "s", ns, cancellationToken: Ct);
        await Client.CoreV1.DeleteNamespacedSecretAsync("s", ns, cancellationToken: Ct);

        var seen = await taking;
        Assert.Equal([WatchEventType.Added, WatchEventType.Modified, WatchEventType.Deleted], seen.Select(e => e.Type));
        Assert.Equal("2", seen[1].Object.Metadata.Labels["v"]);
        var versions = seen.Select(e => long.Parse(e.Object.Metadata.ResourceVersion)).ToList();
        Assert.Equal(versions.Order(), versions);
    }

    [Fact]
    public async Task List_with_watch_true_through_the_client_watcher_delivers_events()
    {
        var ns = await NewNamespaceAsync();
        var received = new TaskCompletionSource<(WatchEventType, V1ConfigMap)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var response = Client.CoreV1.ListNamespacedConfigMapWithHttpMessagesAsync(ns, watch: true, cancellationToken: Ct);
#pragma warning disable CS0618 // The list-with-watch=true path is deprecated in the client but still what many controllers use.
        using var watcher = response.Watch<V1ConfigMap, V1ConfigMapList>((type, cm) => received.TrySetResult((type, cm)), ex => received.TrySetException(ex));
#pragma warning restore CS0618

        await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c" } }, ns, cancellationToken: Ct);

        var (type, cm) = await received.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal(WatchEventType.Added, type);
        Assert.Equal("c", cm.Metadata.Name);
    }

    [Fact]
    public async Task Watch_without_a_resource_version_starts_with_the_current_objects()
    {
        var ns = await NewNamespaceAsync();
        await Client.CoreV1.CreateNamespacedSecretAsync(Secret("a"), ns, cancellationToken: Ct);
        await Client.CoreV1.CreateNamespacedSecretAsync(Secret("b"), ns, cancellationToken: Ct);

        var seen = await TakeAsync(Client.CoreV1.WatchListNamespacedSecretAsync(ns, cancellationToken: Ct), 2);

        Assert.Equal(["a", "b"], seen.Select(e => e.Object.Metadata.Name));
        Assert.All(seen, e => Assert.Equal(WatchEventType.Added, e.Type));
    }

    [Fact]
    public async Task Resume_from_a_resource_version_replays_only_later_events()
    {
        var ns = await NewNamespaceAsync();
        var a = await Client.CoreV1.CreateNamespacedSecretAsync(Secret("a"), ns, cancellationToken: Ct);
        await Client.CoreV1.CreateNamespacedSecretAsync(Secret("b"), ns, cancellationToken: Ct);
        await Client.CoreV1.DeleteNamespacedSecretAsync("a", ns, cancellationToken: Ct);

        var seen = await TakeAsync(Client.CoreV1.WatchListNamespacedSecretAsync(ns, resourceVersion: a.Metadata.ResourceVersion, cancellationToken: Ct), 2);

        Assert.Equal([(WatchEventType.Added, "b"), (WatchEventType.Deleted, "a")], seen.Select(e => (e.Type, e.Object.Metadata.Name)));
    }

    [Fact]
    public async Task Bookmarks_arrive_when_asked_for_and_carry_the_current_resource_version()
    {
        var ns = await NewNamespaceAsync();
        var created = await Client.CoreV1.CreateNamespacedSecretAsync(Secret("a"), ns, cancellationToken: Ct);

        var seen = await TakeAsync(
            Client.CoreV1.WatchListNamespacedSecretAsync(ns, allowWatchBookmarks: true, resourceVersion: created.Metadata.ResourceVersion, cancellationToken: Ct),
            2, t => t == WatchEventType.Bookmark);

        Assert.All(seen, e => Assert.True(long.Parse(e.Object.Metadata.ResourceVersion) >= long.Parse(created.Metadata.ResourceVersion)));
    }

    [Fact]
    public async Task Resume_from_a_compacted_resource_version_is_410_Gone_as_an_ERROR_event()
    {
        var ns = await NewNamespaceAsync();
        var first = await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "first" } }, ns, cancellationToken: Ct);
        for (var i = 0; i < 25; i++)
        {
            await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = $"c{i}" } }, ns, cancellationToken: Ct);
        }

        var failed = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watcher = Client.CoreV1.WatchListNamespacedConfigMap(ns, resourceVersion: first.Metadata.ResourceVersion,
            onEvent: (_, _) => { }, onError: ex => failed.TrySetResult(ex));

        var error = Assert.IsType<KubernetesException>(await failed.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct));
        Assert.Equal(410, error.Status.Code);
        Assert.Equal("Expired", error.Status.Reason);
        Assert.StartsWith("too old resource version", error.Status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TimeoutSeconds_ends_the_watch()
    {
        var ns = await NewNamespaceAsync();
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watcher = Client.CoreV1.WatchListNamespacedSecret(ns, timeoutSeconds: 1, onEvent: (_, _) => { }, onClosed: closed.SetResult);

        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
    }

    [Fact]
    public async Task Objects_moving_across_a_label_selector_appear_added_and_deleted()
    {
        var ns = await NewNamespaceAsync();
        var created = await Client.CoreV1.CreateNamespacedSecretAsync(Secret("s"), ns, cancellationToken: Ct);
        var taking = TakeAsync(Client.CoreV1.WatchListNamespacedSecretAsync(ns, labelSelector: "app=web", resourceVersion: created.Metadata.ResourceVersion, cancellationToken: Ct), 2);

        await Client.CoreV1.PatchNamespacedSecretAsync(new V1Patch("""{"metadata":{"labels":{"app":"web"}}}""", V1Patch.PatchType.MergePatch), "s", ns, cancellationToken: Ct);
        await Client.CoreV1.PatchNamespacedSecretAsync(new V1Patch("""{"metadata":{"labels":{"app":"db"}}}""", V1Patch.PatchType.MergePatch), "s", ns, cancellationToken: Ct);

        var seen = await taking;
        Assert.Equal([WatchEventType.Added, WatchEventType.Deleted], seen.Select(e => e.Type));
    }

    [Fact]
    public async Task A_watcher_that_never_reads_is_dropped_instead_of_blocking_writers()
    {
        var configMaps = new ResourceId("", "v1", "configmaps");
        var watcher = Sim.Store.Watch(configMaps, "default", new WatchRequest(static _ => true, Sim.Store.CurrentRevision));

        var writes = Task.Run(() =>
        {
            for (var i = 0; i < 1500; i++)
            {
                Sim.Store.Create(configMaps, "default", new JsonObject { ["metadata"] = new JsonObject { ["name"] = $"c{i}" } });
            }
        }, Ct);

        await writes.WaitAsync(TimeSpan.FromSeconds(20), Ct);
        Assert.True(watcher.IsClosed);
        Assert.Equal(1500, Sim.Store.List(configMaps, "default").Count);
    }
}
