using k8s;
using k8s.Models;
using Xunit;
using static KubeSim.Tests.Controllers.WorkloadSim;

namespace KubeSim.Tests.Controllers;

/// <summary>
/// The controller-lag knob: while the lag holds, observedGeneration trails generation and the status still
/// describes the old spec, so readiness code that ignores observedGeneration is caught.
/// </summary>
public sealed class ControllerLagTests
{
    // What an injected bug looked like: every count matches, but nobody asked whether the status is about this spec.
    private static bool NaiveReady(V1Deployment d) =>
        (d.Status?.ReadyReplicas ?? 0) == d.Spec.Replicas && (d.Status?.UpdatedReplicas ?? 0) == d.Spec.Replicas;

    [Fact]
    public async Task A_naive_readiness_check_is_fooled_during_the_lag_and_the_rollout_rule_is_not()
    {
        var options = new KubeSimOptions { RunControllers = true, PodReadyDelay = TimeSpan.FromMilliseconds(50), ControllerLag = TimeSpan.FromSeconds(2) };
        await using var server = await KubeSimServer.StartAsync(options, Ct);
        await server.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "work" } }, cancellationToken: Ct);
        await server.Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web", 2, Template("web", "registry.example/app:1")), "work", cancellationToken: Ct);
        await Poll.UntilAsync(() => server.Client.AppsV1.ReadNamespacedDeploymentAsync("web", "work", cancellationToken: Ct), RolledOut, TimeSpan.FromSeconds(20), Ct);

        var patched = await server.Client.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch("""{"spec":{"template":{"spec":{"containers":[{"name":"app","image":"registry.example/app:2"}]}}}}""", V1Patch.PatchType.StrategicMergePatch),
            "web", "work", cancellationToken: Ct);
        var during = await server.Client.AppsV1.ReadNamespacedDeploymentAsync("web", "work", cancellationToken: Ct);

        Assert.Equal(2, patched.Metadata.Generation);
        Assert.True(NaiveReady(during), "the naive check sees every replica ready and updated");
        Assert.Equal(1, during.Status.ObservedGeneration);
        Assert.False(RolledOut(during), "the observedGeneration rule knows the status is stale");
        Assert.All(await PodsAsync(server), p => Assert.Equal("registry.example/app:1", p.Spec.Containers[0].Image));

        var done = await Poll.UntilAsync(() => server.Client.AppsV1.ReadNamespacedDeploymentAsync("web", "work", cancellationToken: Ct), RolledOut, TimeSpan.FromSeconds(20), Ct);
        Assert.Equal(2, done.Status.ObservedGeneration);
        await Poll.UntilAsync(async () => (await PodsAsync(server)).All(p => p.Spec.Containers[0].Image == "registry.example/app:2" && IsReady(p)), ok => ok, TimeSpan.FromSeconds(20), Ct);
    }

    [Fact]
    public async Task Per_workload_annotations_set_the_lag_and_the_pod_ready_delay()
    {
        var options = new KubeSimOptions { RunControllers = true, PodReadyDelay = TimeSpan.FromMilliseconds(50) };
        await using var server = await KubeSimServer.StartAsync(options, Ct);
        await server.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "work" } }, cancellationToken: Ct);
        var slow = Deployment("slow", 1, Template("slow"));
        slow.Metadata.Annotations = new Dictionary<string, string> { ["kubesim.io/controller-lag"] = "1500ms" };
        slow.Spec.Template.Metadata.Annotations = new Dictionary<string, string> { ["kubesim.io/ready-delay"] = "1s" };
        var fast = Deployment("fast", 1, Template("fast"));

        var started = DateTimeOffset.UtcNow;
        await server.Client.AppsV1.CreateNamespacedDeploymentAsync(slow, "work", cancellationToken: Ct);
        await server.Client.AppsV1.CreateNamespacedDeploymentAsync(fast, "work", cancellationToken: Ct);
        await Poll.UntilAsync(() => server.Client.AppsV1.ReadNamespacedDeploymentAsync("fast", "work", cancellationToken: Ct), RolledOut, TimeSpan.FromSeconds(20), Ct);
        var slowWhileFastDone = await server.Client.AppsV1.ReadNamespacedDeploymentAsync("slow", "work", cancellationToken: Ct);
        var fastDoneAfter = DateTimeOffset.UtcNow - started;
        await Poll.UntilAsync(() => server.Client.AppsV1.ReadNamespacedDeploymentAsync("slow", "work", cancellationToken: Ct), RolledOut, TimeSpan.FromSeconds(20), Ct);
        var slowDoneAfter = DateTimeOffset.UtcNow - started;

        if (fastDoneAfter < TimeSpan.FromSeconds(1.5))
        {
            // Only meaningful when the machine was quick enough to finish "fast" inside the lag.
            Assert.Null(slowWhileFastDone.Status?.ObservedGeneration);
        }

        Assert.True(slowDoneAfter >= TimeSpan.FromSeconds(2.5), $"lag 1.5s + ready delay 1s, done after {slowDoneAfter}");
        var pod = Assert.Single(await PodsAsync(server, "app=slow"));
        Assert.Equal("1s", pod.Metadata.Annotations["kubesim.io/ready-delay"]);
    }

    private static async Task<IList<V1Pod>> PodsAsync(KubeSimServer server, string? selector = null) =>
        (await server.Client.CoreV1.ListNamespacedPodAsync("work", labelSelector: selector, cancellationToken: Ct)).Items;
}
