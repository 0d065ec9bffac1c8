using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Xunit;
using static KubeSim.Tests.Controllers.WorkloadSim;

namespace KubeSim.Tests.Controllers;

public sealed class RolloutBoundsTests
{
    private static readonly ResourceId Pods = new("", "v1", "pods");

    private static bool Ready(JsonObject pod) =>
        pod["status"]?["conditions"] is JsonArray conditions
        && conditions.Any(c => c?["type"]?.GetValue<string>() == "Ready" && c["status"]?.GetValue<string>() == "True");

    [Fact]
    public async Task RollingUpdateStaysWithinMaxSurgeAndMaxUnavailable()
    {
        await using var sim = await StartAsync();
        var deployment = Deployment("bounded", 4, Template("bounded"));
        deployment.Spec.Strategy = new V1DeploymentStrategy
        {
            Type = "RollingUpdate",
            RollingUpdate = new V1RollingUpdateDeployment { MaxSurge = "1", MaxUnavailable = "0" },
        };
        await sim.Client.AppsV1.CreateNamespacedDeploymentAsync(deployment, "work", cancellationToken: Ct);
        await WaitAsync(() => sim.DeploymentAsync("bounded"), RolledOut);

        // Every pod event is replayed against a local view, so the bounds are checked at each step of the rollout.
        var live = new ConcurrentDictionary<string, JsonObject>();
        foreach (var pod in sim.Server.Store.List(Pods, "work"))
        {
            live[pod["metadata"]!["name"]!.GetValue<string>()] = pod;
        }

        var maxPods = 0;
        var minReady = int.MaxValue;
        var gate = new Lock();
        using var subscription = sim.Server.Store.Subscribe(Pods, e =>
        {
            var name = e.Object["metadata"]!["name"]!.GetValue<string>();
            if (e.Type == "DELETED")
            {
                live.TryRemove(name, out _);
            }
            else
            {
                live[name] = e.Object;
            }

            lock (gate)
            {
                maxPods = Math.Max(maxPods, live.Count);
                minReady = Math.Min(minReady, live.Values.Count(Ready));
            }
        });

        await sim.Client.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch("""{"spec":{"template":{"metadata":{"annotations":{"rev":"2"}}}}}""", V1Patch.PatchType.MergePatch), "bounded", "work", cancellationToken: Ct);
        await WaitAsync(() => sim.DeploymentAsync("bounded"), d => d.Metadata.Generation == 2 && RolledOut(d) && Condition(d, "Progressing")?.Reason == "NewReplicaSetAvailable");
        await WaitAsync(() => sim.PodsAsync("app=bounded"), p => p.Count == 4 && p.All(x => x.Metadata.Annotations?["rev"] == "2"));

        lock (gate)
        {
            Assert.Equal(5, maxPods);
            Assert.Equal(4, minReady);
        }
    }

    [Fact]
    public async Task RecreateStopsOldPodsBeforeStartingNewOnes()
    {
        await using var sim = await StartAsync();
        var deployment = Deployment("recreate", 2, Template("recreate"));
        deployment.Spec.Strategy = new V1DeploymentStrategy { Type = "Recreate" };
        await sim.Client.AppsV1.CreateNamespacedDeploymentAsync(deployment, "work", cancellationToken: Ct);
        await WaitAsync(() => sim.DeploymentAsync("recreate"), RolledOut);
        var oldPods = (await sim.PodsAsync("app=recreate")).Select(p => p.Metadata.Name).ToHashSet();
        var overlap = false;
        using var subscription = sim.Server.Store.Subscribe(Pods, e =>
        {
            if (e.Type == "ADDED" && e.Object["metadata"]?["annotations"]?["rev"] is not null)
            {
                // A new pod appeared: none of the old ones may still exist.
                overlap |= sim.Server.Store.List(Pods, "work").Any(p => oldPods.Contains(p["metadata"]!["name"]!.GetValue<string>()));
            }
        });

        await sim.Client.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch("""{"spec":{"template":{"metadata":{"annotations":{"rev":"2"}}}}}""", V1Patch.PatchType.MergePatch), "recreate", "work", cancellationToken: Ct);
        await WaitAsync(() => sim.DeploymentAsync("recreate"), d => d.Metadata.Generation == 2 && RolledOut(d));

        var pods = await WaitAsync(() => sim.PodsAsync("app=recreate"), p => p.Count == 2);
        Assert.All(pods, p => Assert.DoesNotContain(p.Metadata.Name, oldPods));
        Assert.False(overlap);
    }

    [Fact]
    public async Task DeletedReplicaSetIsRecreated()
    {
        await using var sim = await StartAsync();
        await sim.Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("again", 2, Template("again")), "work", cancellationToken: Ct);
        await WaitAsync(() => sim.DeploymentAsync("again"), RolledOut);
        var rs = Assert.Single(await sim.ReplicaSetsAsync());

        await sim.Client.AppsV1.DeleteNamespacedReplicaSetAsync(rs.Metadata.Name, "work", cancellationToken: Ct);

        var replacement = await WaitAsync(() => sim.ReplicaSetsAsync(), sets => sets.Count == 1 && sets[0].Metadata.Uid != rs.Metadata.Uid && sets[0].Status?.ReadyReplicas == 2);
        Assert.Equal(rs.Metadata.Name, replacement[0].Metadata.Name);
        await WaitAsync(() => sim.DeploymentAsync("again"), d => RolledOut(d) && d.Status.ReadyReplicas == 2);
    }

    [Fact]
    public async Task RollingBackReusesTheOldReplicaSetAsTheNewestRevision()
    {
        await using var sim = await StartAsync();
        await sim.Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("undo", 1, Template("undo", image: "app:1")), "work", cancellationToken: Ct);
        await WaitAsync(() => sim.DeploymentAsync("undo"), RolledOut);
        var first = Assert.Single(await sim.ReplicaSetsAsync());
        await SetImageAsync(sim, "app:2");
        await WaitAsync(() => sim.DeploymentAsync("undo"), d => d.Metadata.Generation == 2 && RolledOut(d));

        await SetImageAsync(sim, "app:1");

        var done = await WaitAsync(() => sim.DeploymentAsync("undo"), d => d.Metadata.Generation == 3 && RolledOut(d));
        var sets = await sim.ReplicaSetsAsync();
        Assert.Equal(2, sets.Count);
        var reused = sets.Single(rs => rs.Metadata.Uid == first.Metadata.Uid);
        Assert.Equal("3", reused.Metadata.Annotations["deployment.kubernetes.io/revision"]);
        Assert.Equal(1, reused.Spec.Replicas);
        Assert.Equal("3", done.Metadata.Annotations["deployment.kubernetes.io/revision"]);
        var pod = Assert.Single(await WaitAsync(() => sim.PodsAsync("app=undo"), p => p.Count == 1));
        Assert.Equal("app:1", pod.Spec.Containers.Single().Image);
    }

    private static Task SetImageAsync(WorkloadSim sim, string image)
    {
        var container = new JsonObject { ["name"] = "app", ["image"] = image };
        var patch = new JsonObject { ["spec"] = new JsonObject { ["template"] = new JsonObject { ["spec"] = new JsonObject { ["containers"] = new JsonArray(container) } } } };
        return sim.Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.StrategicMergePatch), "undo", "work", cancellationToken: Ct);
    }

    [Fact]
    public async Task RecreatedDeploymentAdoptsOrphanedReplicaSetAndPods()
    {
        await using var sim = await StartAsync();
        await sim.Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("orphan", 2, Template("orphan")), "work", cancellationToken: Ct);
        await WaitAsync(() => sim.DeploymentAsync("orphan"), RolledOut);
        var podUids = (await sim.PodsAsync("app=orphan")).Select(p => p.Metadata.Uid).Order(StringComparer.Ordinal).ToList();

        await sim.Client.AppsV1.DeleteNamespacedDeploymentAsync("orphan", "work", propagationPolicy: "Orphan", cancellationToken: Ct);
        var orphaned = await WaitAsync(() => sim.ReplicaSetsAsync(), sets => sets.Count == 1 && (sets[0].Metadata.OwnerReferences?.Count ?? 0) == 0);
        await sim.Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("orphan", 2, Template("orphan")), "work", cancellationToken: Ct);

        var reborn = await WaitAsync(() => sim.DeploymentAsync("orphan"), d => RolledOut(d) && Condition(d, "Progressing")?.Reason == "NewReplicaSetAvailable");
        var rs = Assert.Single(await sim.ReplicaSetsAsync());
        Assert.Equal(orphaned[0].Metadata.Uid, rs.Metadata.Uid);
        Assert.Equal(reborn.Metadata.Uid, rs.Metadata.OwnerReferences.Single(o => o.Controller == true).Uid);
        Assert.Equal(podUids, (await sim.PodsAsync("app=orphan")).Select(p => p.Metadata.Uid).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task StatefulSetScalesDownFromTheHighestOrdinal()
    {
        await using var sim = await StartAsync();
        var template = Template("ord");
        var set = new V1StatefulSet
        {
            Metadata = new V1ObjectMeta { Name = "ord" },
            Spec = new V1StatefulSetSpec { Replicas = 3, ServiceName = "ord", Selector = new V1LabelSelector { MatchLabels = template.Metadata.Labels }, Template = template },
        };
        await sim.Client.AppsV1.CreateNamespacedStatefulSetAsync(set, "work", cancellationToken: Ct);
        await WaitAsync(() => sim.Client.AppsV1.ReadNamespacedStatefulSetAsync("ord", "work", cancellationToken: Ct), s => s.Status?.ReadyReplicas == 3);

        await sim.Client.AppsV1.PatchNamespacedStatefulSetAsync(new V1Patch("""{"spec":{"replicas":1}}""", V1Patch.PatchType.MergePatch), "ord", "work", cancellationToken: Ct);

        var done = await WaitAsync(
            () => sim.Client.AppsV1.ReadNamespacedStatefulSetAsync("ord", "work", cancellationToken: Ct),
            s => s.Status.Replicas == 1 && s.Status.ObservedGeneration == 2);
        Assert.Equal(1, done.Status.ReadyReplicas);
        Assert.Equal(["ord-0"], (await sim.PodsAsync("app=ord")).Select(p => p.Metadata.Name));
    }

    [Fact]
    public async Task ParallelStatefulSetCreatesAllPodsAtOnce()
    {
        await using var sim = await StartAsync();
        var template = Template("par", image: "registry.invalid/never:1");
        var set = new V1StatefulSet
        {
            Metadata = new V1ObjectMeta { Name = "par" },
            Spec = new V1StatefulSetSpec
            {
                Replicas = 3,
                ServiceName = "par",
                PodManagementPolicy = "Parallel",
                Selector = new V1LabelSelector { MatchLabels = template.Metadata.Labels },
                Template = template,
            },
        };
        await sim.Client.AppsV1.CreateNamespacedStatefulSetAsync(set, "work", cancellationToken: Ct);

        // None can become Ready, so only Parallel management creates all three.
        var pods = await WaitAsync(() => sim.PodsAsync("app=par"), p => p.Count == 3);
        Assert.Equal(["par-0", "par-1", "par-2"], pods.Select(p => p.Metadata.Name).Order(StringComparer.Ordinal));
        var status = await WaitAsync(() => sim.Client.AppsV1.ReadNamespacedStatefulSetAsync("par", "work", cancellationToken: Ct), s => s.Status?.Replicas == 3);
        Assert.Null(status.Status.ReadyReplicas);
    }
}
