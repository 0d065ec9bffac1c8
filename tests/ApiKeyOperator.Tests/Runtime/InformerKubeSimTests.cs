using ApiKeyOperator.Runtime;
using k8s;
using k8s.Models;
using Xunit;

namespace ApiKeyOperator.Tests.Runtime;

public sealed class InformerKubeSimTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Informer_syncs_a_list_then_follows_adds_updates_and_deletes()
    {
        await using var env = await SimEnvironment.StartAsync();
        await CreateConfigMapAsync(env, "default", "before");
        var informer = env.NewInformer<V1ConfigMap>();
        var added = new List<string>();
        var updated = new List<string>();
        var deleted = new List<string>();
        informer.AddHandler(new InformerHandler<V1ConfigMap>(
            o => Record(added, o), (_, o) => Record(updated, o), o => Record(deleted, o)));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var running = informer.RunAsync(stop.Token);

        await informer.WaitForSyncAsync(Ct).WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.True(informer.HasSynced);
        Assert.Equal("v1", informer.Cache.Get(new ObjectKey("default", "before"))?.ApiVersion);

        await CreateConfigMapAsync(env, "default", "after");
        await env.Client.CoreV1.PatchNamespacedConfigMapAsync(
            new V1Patch("""{"data":{"k":"changed"}}""", V1Patch.PatchType.MergePatch), "before", "default", cancellationToken: Ct);
        await env.Client.CoreV1.DeleteNamespacedConfigMapAsync("after", "default", cancellationToken: Ct);

        await Poll.UntilAsync(() => Snapshot(deleted).Contains("after") && Snapshot(updated).Contains("before"), what: "update and delete seen");
        Assert.Equal(["before", "after"], Snapshot(added).Where(n => n is "before" or "after"));
        Assert.Equal("changed", informer.Cache.Get(new ObjectKey("default", "before"))?.Data["k"]);
        Assert.Null(informer.Cache.Get(new ObjectKey("default", "after")));

        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(10), Ct);
    }

    [Fact]
    public async Task Informer_resumes_a_dropped_watch_without_listing_again()
    {
        await using var env = await SimEnvironment.StartAsync();
        var informer = env.NewInformer<V1ConfigMap>(new InformerOptions { Namespace = "default" });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var running = informer.RunAsync(stop.Token);
        await informer.WaitForSyncAsync(Ct).WaitAsync(TimeSpan.FromSeconds(10), Ct);
        await WatchIsOpenAsync(env, informer);

        env.Sim.DropAllWatches();
        await CreateConfigMapAsync(env, "default", "while-reconnecting");

        await Poll.UntilAsync(() => informer.Cache.Get(new ObjectKey("default", "while-reconnecting")) is not null, what: "object created after the drop");
        Assert.Equal(1, env.Sim.Requests.Count("list", "configmaps"));
        Assert.True(env.Sim.Requests.Count("watch", "configmaps") >= 1, "the dropped watch is logged once it ended");

        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(10), Ct);
    }

    [Fact]
    public async Task Informer_lists_again_after_410_Gone_and_drops_objects_deleted_meanwhile()
    {
        await using var env = await SimEnvironment.StartAsync();
        await CreateConfigMapAsync(env, "default", "doomed");
        var informer = env.NewInformer<V1ConfigMap>(new InformerOptions { Namespace = "default" });
        var deleted = new List<string>();
        informer.AddHandler(new InformerHandler<V1ConfigMap>(OnDelete: o => Record(deleted, o)));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var running = informer.RunAsync(stop.Token);
        await informer.WaitForSyncAsync(Ct).WaitAsync(TimeSpan.FromSeconds(10), Ct);
        await WatchIsOpenAsync(env, informer);

        env.Sim.Faults.ForceGoneOnNextWatchResume();
        env.Sim.DropAllWatches();
        await env.Client.CoreV1.DeleteNamespacedConfigMapAsync("doomed", "default", cancellationToken: Ct);
        await CreateConfigMapAsync(env, "default", "fresh");

        await Poll.UntilAsync(() => env.Sim.Requests.Count("list", "configmaps") == 2, what: "second list after 410");
        await Poll.UntilAsync(() => informer.Cache.Get(new ObjectKey("default", "fresh")) is not null && Snapshot(deleted).Contains("doomed"), what: "state after re-list");
        Assert.Null(informer.Cache.Get(new ObjectKey("default", "doomed")));

        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(10), Ct);
    }

    [Fact]
    public async Task Informer_with_a_label_selector_caches_only_matching_objects()
    {
        await using var env = await SimEnvironment.StartAsync();
        await CreateConfigMapAsync(env, "default", "labelled", new Dictionary<string, string> { ["app"] = "x" });
        await CreateConfigMapAsync(env, "default", "plain");
        var informer = env.NewInformer<V1ConfigMap>(new InformerOptions { LabelSelector = "app=x" });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var running = informer.RunAsync(stop.Token);

        await informer.WaitForSyncAsync(Ct).WaitAsync(TimeSpan.FromSeconds(10), Ct);

        Assert.Equal(["labelled"], informer.Cache.List().Select(o => o.Metadata.Name));
        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(10), Ct);
    }

    /// <summary>An object created after the list arrives only through the watch: once cached, the watch is open.</summary>
    private static async Task WatchIsOpenAsync(SimEnvironment env, Informer<V1ConfigMap> informer)
    {
        await CreateConfigMapAsync(env, "default", "marker");
        await Poll.UntilAsync(() => informer.Cache.Get(new ObjectKey("default", "marker")) is not null, what: "watch open");
    }

    internal static Task<V1ConfigMap> CreateConfigMapAsync(SimEnvironment env, string ns, string name, IDictionary<string, string>? labels = null) =>
        env.Client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new V1ObjectMeta { Name = name, Labels = labels }, Data = new Dictionary<string, string> { ["k"] = "v" } },
            ns,
            cancellationToken: Ct);

    private static void Record(List<string> names, V1ConfigMap obj)
    {
        lock (names)
        {
            names.Add(obj.Metadata.Name);
        }
    }

    private static List<string> Snapshot(List<string> names)
    {
        lock (names)
        {
            return [.. names];
        }
    }
}
