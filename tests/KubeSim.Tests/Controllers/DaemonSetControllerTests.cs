using k8s;
using k8s.Models;
using Xunit;
using static KubeSim.Tests.Controllers.WorkloadSim;

namespace KubeSim.Tests.Controllers;

public sealed class DaemonSetControllerTests
{
    private static V1DaemonSet DaemonSet(string name, V1PodTemplateSpec template) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1DaemonSetSpec { Selector = new V1LabelSelector { MatchLabels = template.Metadata.Labels }, Template = template },
    };

    private static bool RolledOut(V1DaemonSet d, int nodes) =>
        d.Status?.ObservedGeneration >= d.Metadata.Generation
        && d.Status.DesiredNumberScheduled == nodes
        && (d.Status.UpdatedNumberScheduled ?? 0) == nodes
        && (d.Status.NumberAvailable ?? 0) == nodes;

    [Fact]
    public async Task DaemonSetRunsOnePodOnEachOfThreeNodes()
    {
        await using var sim = await StartAsync(nodeCount: 3);
        await sim.Client.AppsV1.CreateNamespacedDaemonSetAsync(DaemonSet("agent", Template("agent")), "work", cancellationToken: Ct);

        var done = await WaitAsync(() => sim.Client.AppsV1.ReadNamespacedDaemonSetAsync("agent", "work", cancellationToken: Ct), d => RolledOut(d, 3));

        Assert.Equal(3, done.Status.DesiredNumberScheduled);
        Assert.Equal(3, done.Status.CurrentNumberScheduled);
        Assert.Equal(3, done.Status.UpdatedNumberScheduled);
        Assert.Equal(3, done.Status.NumberReady);
        Assert.Equal(3, done.Status.NumberAvailable);
        Assert.Equal(0, done.Status.NumberMisscheduled);
        Assert.Null(done.Status.NumberUnavailable);
        Assert.Equal(done.Metadata.Generation, done.Status.ObservedGeneration);
        var pods = await sim.PodsAsync("app=agent");
        Assert.Equal(["kubesim-node-0", "kubesim-node-1", "kubesim-node-2"], pods.Select(p => p.Spec.NodeName).Order(StringComparer.Ordinal));
        Assert.All(pods, p => Assert.Equal("DaemonSet", p.Metadata.OwnerReferences.Single().Kind));
    }

    [Fact]
    public async Task TemplateChangeReplacesEveryNodesPod()
    {
        await using var sim = await StartAsync(nodeCount: 3);
        await sim.Client.AppsV1.CreateNamespacedDaemonSetAsync(DaemonSet("logger", Template("logger")), "work", cancellationToken: Ct);
        await WaitAsync(() => sim.Client.AppsV1.ReadNamespacedDaemonSetAsync("logger", "work", cancellationToken: Ct), d => RolledOut(d, 3));
        var oldUids = (await sim.PodsAsync("app=logger")).Select(p => p.Metadata.Uid).ToHashSet();

        await sim.Client.AppsV1.PatchNamespacedDaemonSetAsync(
            new V1Patch("""{"spec":{"template":{"metadata":{"annotations":{"apikeyoperator.io/key-id":"k2"}}}}}""", V1Patch.PatchType.StrategicMergePatch),
            "logger", "work", cancellationToken: Ct);

        var done = await WaitAsync(
            () => sim.Client.AppsV1.ReadNamespacedDaemonSetAsync("logger", "work", cancellationToken: Ct),
            d => d.Metadata.Generation == 2 && RolledOut(d, 3));
        Assert.Equal(2, done.Status.ObservedGeneration);
        var pods = await WaitAsync(() => sim.PodsAsync("app=logger"), p => p.Count == 3);
        Assert.All(pods, p =>
        {
            Assert.DoesNotContain(p.Metadata.Uid, oldUids);
            Assert.Equal("k2", p.Metadata.Annotations["apikeyoperator.io/key-id"]);
        });
        Assert.Equal(3, pods.Select(p => p.Spec.NodeName).Distinct().Count());
    }
}
