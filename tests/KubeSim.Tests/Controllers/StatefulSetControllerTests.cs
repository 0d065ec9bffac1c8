using System.Collections.Concurrent;
using k8s;
using k8s.Models;
using Xunit;
using static KubeSim.Tests.Controllers.WorkloadSim;

namespace KubeSim.Tests.Controllers;

public sealed class StatefulSetControllerTests
{
    private static V1StatefulSet StatefulSet(string name, int replicas, V1PodTemplateSpec template) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1StatefulSetSpec
        {
            Replicas = replicas,
            ServiceName = name,
            Selector = new V1LabelSelector { MatchLabels = template.Metadata.Labels },
            Template = template,
        },
    };

    private static bool RolledOut(V1StatefulSet s) =>
        s.Status?.ObservedGeneration >= s.Metadata.Generation
        && s.Status.UpdateRevision == s.Status.CurrentRevision
        && (s.Status.ReadyReplicas ?? 0) == s.Spec.Replicas
        && (s.Status.UpdatedReplicas ?? 0) == s.Spec.Replicas;

    [Fact]
    public async Task StatefulSetCreatesOrdinalPodsAndReportsRevisions()
    {
        await using var sim = await StartAsync();
        await sim.Client.AppsV1.CreateNamespacedStatefulSetAsync(StatefulSet("db", 3, Template("db")), "work", cancellationToken: Ct);

        var done = await WaitAsync(() => sim.Client.AppsV1.ReadNamespacedStatefulSetAsync("db", "work", cancellationToken: Ct), RolledOut);

        Assert.Equal(3, done.Status.Replicas);
        Assert.Equal(3, done.Status.ReadyReplicas);
        Assert.Equal(3, done.Status.CurrentReplicas);
        Assert.Equal(3, done.Status.UpdatedReplicas);
        Assert.Equal(3, done.Status.AvailableReplicas);
        Assert.Equal(done.Metadata.Generation, done.Status.ObservedGeneration);
        Assert.Matches("^db-[a-z0-9]+$", done.Status.UpdateRevision);
        var pods = await sim.PodsAsync("app=db");
        Assert.Equal(["db-0", "db-1", "db-2"], pods.Select(p => p.Metadata.Name).Order(StringComparer.Ordinal));
        Assert.All(pods, p =>
        {
            Assert.Equal(done.Status.UpdateRevision, p.Metadata.Labels["controller-revision-hash"]);
            Assert.Equal(p.Metadata.Name, p.Metadata.Labels["statefulset.kubernetes.io/pod-name"]);
            Assert.Equal("StatefulSet", p.Metadata.OwnerReferences.Single().Kind);
            Assert.True(IsReady(p));
        });
    }

    [Fact]
    public async Task TemplateChangeReplacesPodsInReverseOrdinalOrder()
    {
        await using var sim = await StartAsync();
        await sim.Client.AppsV1.CreateNamespacedStatefulSetAsync(StatefulSet("queue", 3, Template("queue")), "work", cancellationToken: Ct);
        var before = await WaitAsync(() => sim.Client.AppsV1.ReadNamespacedStatefulSetAsync("queue", "work", cancellationToken: Ct), RolledOut);
        var deletions = new ConcurrentQueue<string>();
        using var subscription = sim.Server.Store.Subscribe(new ResourceId("", "v1", "pods"), e =>
        {
            if (e.Type == "DELETED")
            {
                deletions.Enqueue(e.Object["metadata"]!["name"]!.GetValue<string>());
            }
        });

        await sim.Client.AppsV1.PatchNamespacedStatefulSetAsync(
            new V1Patch("""{"spec":{"template":{"metadata":{"annotations":{"apikeyoperator.io/key-id":"k2"}}}}}""", V1Patch.PatchType.StrategicMergePatch),
            "queue", "work", cancellationToken: Ct);

        var after = await WaitAsync(
            () => sim.Client.AppsV1.ReadNamespacedStatefulSetAsync("queue", "work", cancellationToken: Ct),
            s => RolledOut(s) && s.Status.UpdateRevision != before.Status.UpdateRevision);

        Assert.Equal(after.Status.UpdateRevision, after.Status.CurrentRevision);
        Assert.Equal(3, after.Status.CurrentReplicas);
        Assert.Equal(["queue-2", "queue-1", "queue-0"], deletions.ToArray());
        Assert.All(await sim.PodsAsync("app=queue"), p =>
        {
            Assert.Equal(after.Status.UpdateRevision, p.Metadata.Labels["controller-revision-hash"]);
            Assert.Equal("k2", p.Metadata.Annotations["apikeyoperator.io/key-id"]);
        });
    }

    [Fact]
    public async Task RolloutWaitsWhileAPodCannotBecomeReady()
    {
        await using var sim = await StartAsync();
        await sim.Client.AppsV1.CreateNamespacedStatefulSetAsync(StatefulSet("cache", 2, Template("cache")), "work", cancellationToken: Ct);
        var before = await WaitAsync(() => sim.Client.AppsV1.ReadNamespacedStatefulSetAsync("cache", "work", cancellationToken: Ct), RolledOut);

        await sim.Client.AppsV1.PatchNamespacedStatefulSetAsync(
            new V1Patch("""{"spec":{"template":{"spec":{"containers":[{"name":"app","image":"registry.invalid/cache:2"}]}}}}""", V1Patch.PatchType.StrategicMergePatch),
            "cache", "work", cancellationToken: Ct);

        // cache-1 is replaced and never becomes Ready, so cache-0 keeps the old revision.
        var stuck = await WaitAsync(
            () => sim.Client.AppsV1.ReadNamespacedStatefulSetAsync("cache", "work", cancellationToken: Ct),
            s => s.Status.UpdatedReplicas == 1 && s.Status.ObservedGeneration == s.Metadata.Generation);
        Assert.Equal(before.Status.CurrentRevision, stuck.Status.CurrentRevision);
        Assert.NotEqual(stuck.Status.CurrentRevision, stuck.Status.UpdateRevision);
        Assert.Equal(1, stuck.Status.ReadyReplicas);
        var pods = await sim.PodsAsync("app=cache");
        Assert.Equal(before.Status.CurrentRevision, pods.Single(p => p.Metadata.Name == "cache-0").Metadata.Labels["controller-revision-hash"]);
        Assert.False(IsReady(pods.Single(p => p.Metadata.Name == "cache-1")));
    }
}
