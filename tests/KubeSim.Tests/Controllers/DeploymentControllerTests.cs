using k8s;
using k8s.Models;
using KubeSim.Controllers;
using Xunit;
using static KubeSim.Tests.Controllers.WorkloadSim;

namespace KubeSim.Tests.Controllers;

public sealed class DeploymentControllerTests
{
    [Fact]
    public async Task DeploymentRollsOutToReadyWithRealStatus()
    {
        await using var sim = await StartAsync();
        var created = await sim.Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web", 3, Template("web")), "work", cancellationToken: Ct);

        var done = await WaitAsync(() => sim.DeploymentAsync("web"), RolledOut);

        Assert.Equal(created.Metadata.Generation, done.Status.ObservedGeneration);
        Assert.Equal(3, done.Status.Replicas);
        Assert.Equal(3, done.Status.UpdatedReplicas);
        Assert.Equal(3, done.Status.ReadyReplicas);
        Assert.Equal(3, done.Status.AvailableReplicas);
        Assert.Null(done.Status.UnavailableReplicas);
        var available = Condition(done, "Available")!;
        Assert.Equal(("True", "MinimumReplicasAvailable"), (available.Status, available.Reason));
        var progressing = Condition(done, "Progressing")!;
        Assert.Equal(("True", "NewReplicaSetAvailable"), (progressing.Status, progressing.Reason));

        var rs = Assert.Single(await sim.ReplicaSetsAsync());
        var hash = rs.Metadata.Labels["pod-template-hash"];
        Assert.Equal($"web-{hash}", rs.Metadata.Name);
        Assert.Equal("1", rs.Metadata.Annotations["deployment.kubernetes.io/revision"]);
        var owner = Assert.Single(rs.Metadata.OwnerReferences);
        Assert.Equal(("Deployment", "web", created.Metadata.Uid, true), (owner.Kind, owner.Name, owner.Uid, owner.Controller == true));
        Assert.Equal(3, rs.Status.ReadyReplicas);

        var pods = await sim.PodsAsync("app=web");
        Assert.Equal(3, pods.Count);
        Assert.All(pods, pod =>
        {
            Assert.Equal(rs.Metadata.Uid, pod.Metadata.OwnerReferences.Single(o => o.Controller == true).Uid);
            Assert.Equal(hash, pod.Metadata.Labels["pod-template-hash"]);
            Assert.StartsWith($"web-{hash}-", pod.Metadata.Name, StringComparison.Ordinal);
            Assert.Equal("kubesim-node-0", pod.Spec.NodeName);
            Assert.Equal("Running", pod.Status.Phase);
            Assert.True(IsReady(pod));
            Assert.Contains(pod.Status.Conditions, c => c.Type == "ContainersReady" && c.Status == "True");
            Assert.True(pod.Status.ContainerStatuses.Single().Ready);
        });
    }

    [Fact]
    public async Task ProgressingReasonsFollowTheRollout()
    {
        // Pods take a second to become Ready, so the controller sees the rollout in progress even on a loaded machine.
        await using var sim = await StartAsync(podReadyMilliseconds: 1000);
        var reasons = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var subscription = sim.Server.Store.Subscribe(new ResourceId("apps", "v1", "deployments"), e =>
        {
            var progressing = (e.Object["status"]?["conditions"] as System.Text.Json.Nodes.JsonArray)?.FirstOrDefault(c => c?["type"]?.GetValue<string>() == "Progressing");
            if (progressing?["reason"]?.GetValue<string>() is { } reason && (reasons.IsEmpty || reasons.Last() != reason))
            {
                reasons.Enqueue(reason);
            }
        });

        await sim.Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("steps", 3, Template("steps")), "work", cancellationToken: Ct);
        await WaitAsync(() => sim.DeploymentAsync("steps"), RolledOut);
        await WaitAsync(() => Task.FromResult(reasons.ToArray()), r => r.LastOrDefault() == "NewReplicaSetAvailable");

        Assert.Equal(["NewReplicaSetCreated", "ReplicaSetUpdated", "NewReplicaSetAvailable"], reasons.ToArray());
    }

    [Fact]
    public async Task TemplateChangeRollsEveryPodOntoTheNewSecret()
    {
        await using var sim = await StartAsync();
        await sim.CreateSecretAsync("creds", "key-one");
        await sim.Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("api", 2, Template("api", secretVolume: "creds")), "work", cancellationToken: Ct);
        await WaitAsync(() => sim.DeploymentAsync("api"), RolledOut);
        var firstHash = await sim.SecretHashAsync("creds");
        Assert.All(await sim.PodsAsync("app=api"), pod => Assert.Equal(firstHash, PodSecretHashes.Read(ToJson(pod))["creds"]));

        // What the operator does on rotation: new Secret data, then a template annotation to roll the pods.
        await sim.Client.CoreV1.PatchNamespacedSecretAsync(
            new V1Patch("""{"stringData":{"apiKey":"key-two"}}""", V1Patch.PatchType.MergePatch), "creds", "work", cancellationToken: Ct);
        var secondHash = await sim.SecretHashAsync("creds");
        Assert.NotEqual(firstHash, secondHash);
        await sim.Client.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch("""{"spec":{"template":{"metadata":{"annotations":{"apikeyoperator.io/key-id":"k2"}}}}}""", V1Patch.PatchType.StrategicMergePatch),
            "api", "work", cancellationToken: Ct);

        var done = await WaitAsync(
            () => sim.DeploymentAsync("api"),
            d => RolledOut(d) && d.Metadata.Generation == 2 && Condition(d, "Progressing")?.Reason == "NewReplicaSetAvailable");

        var sets = await sim.ReplicaSetsAsync();
        Assert.Equal(2, sets.Count);
        var newSet = sets.Single(rs => rs.Metadata.Annotations["deployment.kubernetes.io/revision"] == "2");
        var oldSet = sets.Single(rs => rs.Metadata.Annotations["deployment.kubernetes.io/revision"] == "1");
        Assert.Equal(0, oldSet.Spec.Replicas);
        Assert.Equal(2, newSet.Spec.Replicas);
        var pods = await WaitAsync(() => sim.PodsAsync("app=api"), p => p.Count == 2);
        Assert.All(pods, pod =>
        {
            Assert.Equal(newSet.Metadata.Uid, pod.Metadata.OwnerReferences.Single().Uid);
            Assert.Equal("k2", pod.Metadata.Annotations["apikeyoperator.io/key-id"]);
            Assert.Equal(secondHash, PodSecretHashes.Read(ToJson(pod))["creds"]);
        });
        Assert.Equal(2, done.Status.AvailableReplicas);
        Assert.Equal("2", done.Metadata.Annotations["deployment.kubernetes.io/revision"]);
    }

    [Fact]
    public async Task UnpullableImageEndsInProgressDeadlineExceededAndKeepsOldPods()
    {
        await using var sim = await StartAsync();
        await sim.Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("worker", 1, Template("worker"), progressDeadlineSeconds: 2), "work", cancellationToken: Ct);
        await WaitAsync(() => sim.DeploymentAsync("worker"), RolledOut);
        var oldPod = Assert.Single(await sim.PodsAsync("app=worker"));

        await sim.Client.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch("""{"spec":{"template":{"spec":{"containers":[{"name":"app","image":"registry.invalid/worker:2"}]}}}}""", V1Patch.PatchType.StrategicMergePatch),
            "worker", "work", cancellationToken: Ct);

        var failed = await WaitAsync(() => sim.DeploymentAsync("worker"), d => Condition(d, "Progressing")?.Status == "False");
        var progressing = Condition(failed, "Progressing")!;
        Assert.Equal("ProgressDeadlineExceeded", progressing.Reason);
        Assert.Matches("^ReplicaSet \"worker-[a-z0-9]+\" has timed out progressing\\.$", progressing.Message);
        Assert.Equal(("True", "MinimumReplicasAvailable"), (Condition(failed, "Available")!.Status, Condition(failed, "Available")!.Reason));
        Assert.Equal(2, failed.Status.Replicas);
        Assert.Equal(1, failed.Status.UpdatedReplicas);
        Assert.Equal(1, failed.Status.AvailableReplicas);

        var pods = await sim.PodsAsync("app=worker");
        Assert.Equal(2, pods.Count);
        var stuck = pods.Single(p => p.Metadata.Uid != oldPod.Metadata.Uid);
        Assert.False(IsReady(stuck));
        Assert.Equal("Pending", stuck.Status.Phase);
        Assert.Equal("ImagePullBackOff", stuck.Status.ContainerStatuses.Single().State.Waiting.Reason);
        Assert.True(IsReady(pods.Single(p => p.Metadata.Uid == oldPod.Metadata.Uid)));
    }

    [Fact]
    public async Task FixingTheImageAfterTheDeadlineCompletesTheRollout()
    {
        await using var sim = await StartAsync();
        await sim.Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("mend", 2, Template("mend"), progressDeadlineSeconds: 1), "work", cancellationToken: Ct);
        await WaitAsync(() => sim.DeploymentAsync("mend"), RolledOut);
        await sim.Client.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch("""{"spec":{"template":{"spec":{"containers":[{"name":"app","image":"registry.invalid/mend:2"}]}}}}""", V1Patch.PatchType.StrategicMergePatch),
            "mend", "work", cancellationToken: Ct);
        await WaitAsync(() => sim.DeploymentAsync("mend"), d => Condition(d, "Progressing")?.Reason == "ProgressDeadlineExceeded");

        await sim.Client.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch("""{"spec":{"template":{"spec":{"containers":[{"name":"app","image":"registry.example/mend:3"}]}}}}""", V1Patch.PatchType.StrategicMergePatch),
            "mend", "work", cancellationToken: Ct);

        var done = await WaitAsync(() => sim.DeploymentAsync("mend"), d => d.Metadata.Generation == 3 && RolledOut(d) && Condition(d, "Progressing")?.Reason == "NewReplicaSetAvailable");
        Assert.Equal("True", Condition(done, "Progressing")!.Status);
        var pods = await WaitAsync(() => sim.PodsAsync("app=mend"), p => p.Count == 2);
        Assert.All(pods, p => Assert.Equal("registry.example/mend:3", p.Spec.Containers.Single().Image));
        Assert.Equal([0, 0, 2], (await sim.ReplicaSetsAsync()).Select(rs => rs.Spec.Replicas ?? 0).Order());
    }

    [Fact]
    public async Task NewDeploymentWithUnpullableInitContainerTimesOut()
    {
        await using var sim = await StartAsync();
        var template = Template("broken");
        template.Spec.InitContainers = [new V1Container { Name = "setup", Image = "registry.invalid/setup:1" }];
        await sim.Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("broken", 2, template, progressDeadlineSeconds: 1), "work", cancellationToken: Ct);

        var failed = await WaitAsync(() => sim.DeploymentAsync("broken"), d => Condition(d, "Progressing")?.Reason == "ProgressDeadlineExceeded");

        Assert.Equal("False", Condition(failed, "Progressing")!.Status);
        Assert.Equal(("False", "MinimumReplicasUnavailable"), (Condition(failed, "Available")!.Status, Condition(failed, "Available")!.Reason));
        Assert.Equal(2, failed.Status.UnavailableReplicas);
        Assert.Null(failed.Status.AvailableReplicas);
        var pod = (await WaitAsync(() => sim.PodsAsync("app=broken"), p => p.Count == 2 && p.All(x => x.Status?.InitContainerStatuses is not null)))[0];
        Assert.Equal("ImagePullBackOff", pod.Status.InitContainerStatuses.Single().State.Waiting.Reason);
        Assert.Equal("PodInitializing", pod.Status.ContainerStatuses.Single().State.Waiting.Reason);
    }

    [Fact]
    public async Task PausedDeploymentDoesNotRollOutUntilResumed()
    {
        await using var sim = await StartAsync();
        await sim.Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("calm", 1, Template("calm")), "work", cancellationToken: Ct);
        await WaitAsync(() => sim.DeploymentAsync("calm"), RolledOut);

        await sim.Client.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch("""{"spec":{"paused":true,"template":{"metadata":{"annotations":{"rev":"2"}}}}}""", V1Patch.PatchType.MergePatch), "calm", "work", cancellationToken: Ct);
        var paused = await WaitAsync(() => sim.DeploymentAsync("calm"), d => d.Status.ObservedGeneration == d.Metadata.Generation);

        var progressing = Condition(paused, "Progressing")!;
        Assert.Equal(("Unknown", "DeploymentPaused", "Deployment is paused"), (progressing.Status, progressing.Reason, progressing.Message));
        Assert.Single(await sim.ReplicaSetsAsync());
        Assert.Null(paused.Status.UpdatedReplicas);
        Assert.Equal(1, paused.Status.AvailableReplicas);

        await sim.Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch("""{"spec":{"paused":false}}""", V1Patch.PatchType.MergePatch), "calm", "work", cancellationToken: Ct);
        await WaitAsync(() => sim.DeploymentAsync("calm"), d => RolledOut(d) && Condition(d, "Progressing")?.Reason == "NewReplicaSetAvailable");
        var pod = Assert.Single(await WaitAsync(() => sim.PodsAsync("app=calm"), p => p.Count == 1));
        Assert.Equal("2", pod.Metadata.Annotations["rev"]);
    }

    [Fact]
    public async Task DeploymentCreatedPausedGetsNoReplicaSet()
    {
        await using var sim = await StartAsync();
        await sim.Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("held", 2, Template("held"), paused: true), "work", cancellationToken: Ct);

        var d = await WaitAsync(() => sim.DeploymentAsync("held"), x => Condition(x, "Progressing") is not null);

        Assert.Equal("DeploymentPaused", Condition(d, "Progressing")!.Reason);
        Assert.Empty(await sim.ReplicaSetsAsync());
        Assert.Equal(2, d.Status.UnavailableReplicas);
    }

    [Fact]
    public async Task MinReadySecondsDelaysAvailability()
    {
        await using var sim = await StartAsync();
        var deployment = Deployment("patient", 1, Template("patient"));
        deployment.Spec.MinReadySeconds = 3;
        await sim.Client.AppsV1.CreateNamespacedDeploymentAsync(deployment, "work", cancellationToken: Ct);

        var readyNotAvailable = await WaitAsync(() => sim.DeploymentAsync("patient"), d => d.Status?.ReadyReplicas == 1 && d.Status.AvailableReplicas is null);
        Assert.Equal(("False", "MinimumReplicasUnavailable"), (Condition(readyNotAvailable, "Available")!.Status, Condition(readyNotAvailable, "Available")!.Reason));

        var done = await WaitAsync(() => sim.DeploymentAsync("patient"), RolledOut);
        Assert.Equal("True", Condition(done, "Available")!.Status);
        Assert.Equal(3, Assert.Single(await sim.ReplicaSetsAsync()).Spec.MinReadySeconds);
    }

    [Fact]
    public async Task ScalesUpAndDown()
    {
        await using var sim = await StartAsync();
        await sim.Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("elastic", 1, Template("elastic")), "work", cancellationToken: Ct);
        await WaitAsync(() => sim.DeploymentAsync("elastic"), RolledOut);

        await sim.Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch("""{"spec":{"replicas":4}}""", V1Patch.PatchType.MergePatch), "elastic", "work", cancellationToken: Ct);
        await WaitAsync(() => sim.DeploymentAsync("elastic"), d => RolledOut(d) && d.Status.AvailableReplicas == 4);
        Assert.Equal(4, (await sim.PodsAsync("app=elastic")).Count);

        await sim.Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch("""{"spec":{"replicas":2}}""", V1Patch.PatchType.MergePatch), "elastic", "work", cancellationToken: Ct);
        await WaitAsync(() => sim.DeploymentAsync("elastic"), d => RolledOut(d) && d.Status.AvailableReplicas == 2);
        await WaitAsync(() => sim.PodsAsync("app=elastic"), p => p.Count == 2);
        Assert.Single(await sim.ReplicaSetsAsync());
    }

    [Fact]
    public async Task SurvivesDeletionAndRecreation()
    {
        await using var sim = await StartAsync();
        await sim.Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("phoenix", 2, Template("phoenix")), "work", cancellationToken: Ct);
        await WaitAsync(() => sim.DeploymentAsync("phoenix"), RolledOut);

        var first = await sim.DeploymentAsync("phoenix");
        await sim.Client.AppsV1.DeleteNamespacedDeploymentAsync("phoenix", "work", cancellationToken: Ct);
        await WaitAsync(() => sim.ReplicaSetsAsync(), sets => sets.Count == 0);

        await sim.Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("phoenix", 2, Template("phoenix")), "work", cancellationToken: Ct);
        var reborn = await WaitAsync(() => sim.DeploymentAsync("phoenix"), RolledOut);
        Assert.NotEqual(first.Metadata.Uid, reborn.Metadata.Uid);
        var rs = Assert.Single(await sim.ReplicaSetsAsync());
        Assert.Equal(reborn.Metadata.Uid, rs.Metadata.OwnerReferences.Single().Uid);
        Assert.Equal(2, reborn.Status.ReadyReplicas);
    }

    [Fact]
    public async Task DeletedPodIsReplaced()
    {
        await using var sim = await StartAsync();
        await sim.Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("sturdy", 2, Template("sturdy")), "work", cancellationToken: Ct);
        await WaitAsync(() => sim.DeploymentAsync("sturdy"), RolledOut);
        var victim = (await sim.PodsAsync("app=sturdy"))[0];

        sim.Server.Store.Delete(new ResourceId("", "v1", "pods"), "work", victim.Metadata.Name);

        var pods = await WaitAsync(() => sim.PodsAsync("app=sturdy"), p => p.Count == 2 && p.All(IsReady) && p.All(x => x.Metadata.Uid != victim.Metadata.Uid));
        Assert.Equal(2, pods.Count);
        await WaitAsync(() => sim.DeploymentAsync("sturdy"), d => RolledOut(d) && d.Status.ReadyReplicas == 2);
    }

    internal static System.Text.Json.Nodes.JsonObject ToJson(V1Pod pod) =>
        System.Text.Json.Nodes.JsonNode.Parse(KubernetesJson.Serialize(pod))!.AsObject();
}
