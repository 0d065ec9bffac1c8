using ApiKeyOperator.Runtime;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
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

        await informer.WaitForSyncAsync(Ct).WaitAsync(Poll.Deadline, Ct);
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
        await running.WaitAsync(Poll.Deadline, Ct);
    }

    [Fact]
    public async Task Informer_resumes_a_dropped_watch_without_listing_again()
    {
        await using var env = await SimEnvironment.StartAsync();
        var informer = env.NewInformer<V1ConfigMap>(new InformerOptions { Namespace = "default" });
        env.Run(informer);
        await informer.WaitForSyncAsync(Ct).WaitAsync(Poll.Deadline, Ct);
        await WatchIsOpenAsync(env, informer);

        env.Sim.DropAllWatches();
        await CreateConfigMapAsync(env, "default", "while-reconnecting");

        await Poll.UntilAsync(() => informer.Cache.Get(new ObjectKey("default", "while-reconnecting")) is not null, what: "object created after the drop");
        Assert.Equal(1, env.Sim.Requests.Count("list", "configmaps"));
        Assert.True(env.Sim.Requests.Count("watch", "configmaps") >= 1, "the dropped watch is logged once it ended");

    }

    [Fact]
    public async Task A_watch_broken_by_a_server_restart_resumes_after_the_last_event_without_replays()
    {
        await using var env = await SimEnvironment.StartAsync();
        var informer = env.NewInformer<V1ConfigMap>(new InformerOptions { Namespace = "default" });
        var updated = new List<string>();
        informer.AddHandler(new InformerHandler<V1ConfigMap>(OnUpdate: (_, o) => Record(updated, o)));
        env.Run(informer);
        await informer.WaitForSyncAsync(Ct).WaitAsync(Poll.Deadline, Ct);
        await WatchIsOpenAsync(env, informer);
        for (var i = 0; i < 3; i++)
        {
            await CreateConfigMapAsync(env, "default", $"seen-{i}");
        }

        await Poll.UntilAsync(() => informer.Cache.List().Count == 4, what: "events before the restart");
        env.Sim.Faults.Restart();
        await CreateConfigMapAsync(env, "default", "after-restart");

        await Poll.UntilAsync(() => informer.Cache.Get(new ObjectKey("default", "after-restart")) is not null, what: "watch resumed");
        Assert.Empty(Snapshot(updated));
        Assert.Equal(1, env.Sim.Requests.Count("list", "configmaps"));
    }

    [Fact]
    public async Task Bookmarks_keep_a_quiet_watch_resumable_while_other_namespaces_churn()
    {
        await using var env = await SimEnvironment.StartAsync(new KubeSim.KubeSimOptions
        {
            RunControllers = false,
            WatchHistoryWindow = 5,
            BookmarkInterval = TimeSpan.FromMilliseconds(100),
        });
        var informer = env.NewInformer<V1ConfigMap>(new InformerOptions { Namespace = "default" });
        env.Run(informer);
        await informer.WaitForSyncAsync(Ct).WaitAsync(Poll.Deadline, Ct);
        await WatchIsOpenAsync(env, informer);

        V1ConfigMap last = null!;
        for (var i = 0; i < 20; i++)
        {
            last = await CreateConfigMapAsync(env, "kube-public", $"churn-{i}");
        }

        var churned = long.Parse(last.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture);
        await Poll.UntilAsync(
            () => long.Parse(informer.LastSyncResourceVersion ?? "0", System.Globalization.CultureInfo.InvariantCulture) >= churned,
            what: "a bookmark moved the resourceVersion past the churn");
        env.Sim.DropAllWatches();
        await CreateConfigMapAsync(env, "default", "after-churn");
        await Poll.UntilAsync(() => informer.Cache.Get(new ObjectKey("default", "after-churn")) is not null, what: "resumed watch delivers");

        Assert.Equal(1, env.Sim.Requests.Count("list", "configmaps"));
    }

    [Fact]
    public async Task Informer_lists_again_after_410_Gone_and_drops_objects_deleted_meanwhile()
    {
        await using var env = await SimEnvironment.StartAsync();
        await CreateConfigMapAsync(env, "default", "doomed");
        var informer = env.NewInformer<V1ConfigMap>(new InformerOptions { Namespace = "default" });
        var deleted = new List<string>();
        informer.AddHandler(new InformerHandler<V1ConfigMap>(OnDelete: o => Record(deleted, o)));
        env.Run(informer);
        await informer.WaitForSyncAsync(Ct).WaitAsync(Poll.Deadline, Ct);
        await WatchIsOpenAsync(env, informer);

        env.Sim.Faults.ForceGoneOnNextWatchResume();
        env.Sim.DropAllWatches();
        await env.Client.CoreV1.DeleteNamespacedConfigMapAsync("doomed", "default", cancellationToken: Ct);
        await CreateConfigMapAsync(env, "default", "fresh");

        await Poll.UntilAsync(() => env.Sim.Requests.Count("list", "configmaps") == 2, what: "second list after 410");
        await Poll.UntilAsync(() => informer.Cache.Get(new ObjectKey("default", "fresh")) is not null && Snapshot(deleted).Contains("doomed"), what: "state after re-list");
        Assert.Null(informer.Cache.Get(new ObjectKey("default", "doomed")));

    }

    [Fact]
    public async Task Informer_caches_only_its_namespace_and_label_selector()
    {
        await using var env = await SimEnvironment.StartAsync();
        var app = new Dictionary<string, string> { ["app"] = "x" };
        await CreateConfigMapAsync(env, "default", "labelled", app);
        await CreateConfigMapAsync(env, "default", "plain");
        await CreateConfigMapAsync(env, "kube-public", "elsewhere", app);
        var informer = env.NewInformer<V1ConfigMap>(new InformerOptions { Namespace = "default", LabelSelector = "app=x" });
        env.Run(informer);

        await informer.WaitForSyncAsync(Ct).WaitAsync(Poll.Deadline, Ct);
        await CreateConfigMapAsync(env, "kube-public", "elsewhere-later", app);
        await CreateConfigMapAsync(env, "default", "labelled-later", app);
        await Poll.UntilAsync(() => informer.Cache.Get(new ObjectKey("default", "labelled-later")) is not null, what: "later object");

        Assert.Equal(["labelled", "labelled-later"], informer.Cache.List().Select(o => o.Metadata.Name).Order());
    }

    [Fact]
    public async Task Informer_watches_again_from_its_resourceVersion_when_the_watch_times_out()
    {
        await using var env = await SimEnvironment.StartAsync();
        var informer = env.NewInformer<V1ConfigMap>(new InformerOptions { Namespace = "default", MinWatchTimeout = TimeSpan.FromSeconds(1) });
        env.Run(informer);
        await informer.WaitForSyncAsync(Ct).WaitAsync(Poll.Deadline, Ct);

        // Watches are logged when they end: two ended watches mean the server closed one after timeoutSeconds.
        await Poll.UntilAsync(() => env.Sim.Requests.Count("watch", "configmaps") >= 2, TimeSpan.FromSeconds(15), "watch timed out and restarted");
        await CreateConfigMapAsync(env, "default", "after-timeout");
        await Poll.UntilAsync(() => informer.Cache.Get(new ObjectKey("default", "after-timeout")) is not null, what: "object after re-watch");

        Assert.Equal(1, env.Sim.Requests.Count("list", "configmaps"));
    }

    [Fact]
    public async Task Informer_backs_off_exponentially_on_the_time_provider_while_the_server_is_unreachable()
    {
        var time = new TimerCountingTimeProvider();
        var attempts = new CountingHandler();
        using var client = new Kubernetes(new KubernetesClientConfiguration { Host = "http://127.0.0.1:9" }, attempts);
        var informer = new Informer<V1ConfigMap>(
            new ResourceClient<V1ConfigMap>(new ApiTransport(client)), new InformerOptions(), time, NullLogger<Informer<V1ConfigMap>>.Instance);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var running = informer.RunAsync(stop.Token);

        await Poll.UntilAsync(() => attempts.Count == 1 && time.TimersCreated == 1, what: "first attempt failed, backoff armed");
        time.Advance(TimeSpan.FromMilliseconds(799));
        Assert.Equal(1, attempts.Count);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await Poll.UntilAsync(() => attempts.Count == 2 && time.TimersCreated == 2, what: "second attempt after 800 ms");
        time.Advance(TimeSpan.FromMilliseconds(1599));
        Assert.Equal(2, attempts.Count);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await Poll.UntilAsync(() => attempts.Count == 3, what: "third attempt after 1.6 s");

        Assert.False(informer.HasSynced);
        await stop.CancelAsync();
        await running.WaitAsync(Poll.Deadline, Ct);
    }

    [Fact]
    public async Task Informer_resyncs_every_cached_object_each_period_without_api_calls()
    {
        await using var env = await SimEnvironment.StartAsync();
        await CreateConfigMapAsync(env, "default", "a");
        await CreateConfigMapAsync(env, "default", "b");
        var time = new TimerCountingTimeProvider();
        var informer = new Informer<V1ConfigMap>(
            new ResourceClient<V1ConfigMap>(env.NewTransport()),
            new InformerOptions { Namespace = "default", ResyncPeriod = TimeSpan.FromMinutes(10) },
            time,
            NullLogger<Informer<V1ConfigMap>>.Instance);
        var resynced = new List<string>();
        informer.AddHandler(new InformerHandler<V1ConfigMap>(OnUpdate: (old, obj) =>
        {
            if (ReferenceEquals(old, obj))
            {
                Record(resynced, obj);
            }
        }));
        env.Run(informer);
        await informer.WaitForSyncAsync(Ct).WaitAsync(Poll.Deadline, Ct);

        // Two timers once synced: the watch's dead-connection guard and the resync period.
        await Poll.UntilAsync(() => time.TimersCreated == 2, what: "resync armed");
        time.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromTicks(1));
        Assert.Empty(Snapshot(resynced));
        time.Advance(TimeSpan.FromTicks(1));
        await Poll.UntilAsync(() => Snapshot(resynced).Count == 2, what: "both objects resynced");

        Assert.Equal(["a", "b"], Snapshot(resynced).Order());
        Assert.Equal(1, env.Sim.Requests.Count("list", "configmaps"));
        Assert.Equal(0, env.Sim.Requests.Count("get", "configmaps"));
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
