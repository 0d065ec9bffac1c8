using k8s;
using k8s.Models;
using KubeSim.Controllers;
using Xunit;
using static KubeSim.Tests.Controllers.WorkloadSim;

namespace KubeSim.Tests.Controllers;

public sealed class PodSecretHashTests
{
    // One Secret per reference style the operator's auto-discovery must also find, plus one that does not exist.
    private static V1PodSpec EveryReferenceStyle() => new()
    {
        InitContainers =
        [
            new V1Container
            {
                Name = "init",
                Image = "registry.example/init:1",
                Env = [new V1EnvVar { Name = "INIT_KEY", ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = "init-env", Key = "apiKey" } } }],
            },
        ],
        Containers =
        [
            new V1Container
            {
                Name = "app",
                Image = "registry.example/app:1",
                Env =
                [
                    new V1EnvVar { Name = "PLAIN", Value = "x" },
                    new V1EnvVar { Name = "KEY", ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = "env-ref", Key = "apiKey" } } },
                ],
                EnvFrom = [new V1EnvFromSource { SecretRef = new V1SecretEnvSource { Name = "env-from" } }],
            },
        ],
        Volumes =
        [
            new V1Volume { Name = "plain", Secret = new V1SecretVolumeSource { SecretName = "volume" } },
            new V1Volume
            {
                Name = "proj",
                Projected = new V1ProjectedVolumeSource { Sources = [new V1VolumeProjection { Secret = new V1SecretProjection { Name = "projected" } }] },
            },
            new V1Volume { Name = "absent", Secret = new V1SecretVolumeSource { SecretName = "not-there" } },
        ],
    };

    [Fact]
    public async Task DeploymentPodsRecordEveryReferencedSecret()
    {
        await using var sim = await StartAsync();
        string[] present = ["volume", "projected", "env-ref", "env-from", "init-env"];
        foreach (var name in present)
        {
            await sim.CreateSecretAsync(name, "value-of-" + name);
        }

        var template = new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "refs" } }, Spec = EveryReferenceStyle() };
        await sim.Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("refs", 1, template), "work", cancellationToken: Ct);

        var pod = (await WaitAsync(() => sim.PodsAsync("app=refs"), p => p.Count == 1))[0];
        var hashes = PodSecretHashes.Read(DeploymentControllerTests.ToJson(pod));

        var expected = new Dictionary<string, string> { ["not-there"] = PodSecretHashes.Missing };
        foreach (var name in present)
        {
            expected[name] = await sim.SecretHashAsync(name);
        }

        Assert.Equal(expected.OrderBy(kv => kv.Key, StringComparer.Ordinal), hashes.OrderBy(kv => kv.Key, StringComparer.Ordinal));
        Assert.Equal(present.Length, expected.Values.Where(v => v != PodSecretHashes.Missing).Distinct().Count());
    }

    [Fact]
    public async Task BarePodGetsNodeAnnotationAndReadiness()
    {
        await using var sim = await StartAsync();
        await sim.CreateSecretAsync("volume", "v1");
        var pod = new V1Pod { Metadata = new V1ObjectMeta { Name = "solo" }, Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "img" }], Volumes = [new V1Volume { Name = "v", Secret = new V1SecretVolumeSource { SecretName = "volume" } }] } };
        await sim.Client.CoreV1.CreateNamespacedPodAsync(pod, "work", cancellationToken: Ct);

        var ready = await WaitAsync(() => sim.Client.CoreV1.ReadNamespacedPodAsync("solo", "work", cancellationToken: Ct), IsReady);

        Assert.Equal("kubesim-node-0", ready.Spec.NodeName);
        Assert.Equal("Running", ready.Status.Phase);
        Assert.Equal(await sim.SecretHashAsync("volume"), PodSecretHashes.Read(DeploymentControllerTests.ToJson(ready))["volume"]);
    }

    [Fact]
    public async Task HashChangesWithSecretData()
    {
        await using var sim = await StartAsync();
        await sim.CreateSecretAsync("volume", "first");
        var template = WorkloadSim.Template("h", secretVolume: "volume");
        await sim.Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("h", 1, template), "work", cancellationToken: Ct);
        var first = (await WaitAsync(() => sim.PodsAsync("app=h"), p => p.Count == 1))[0];

        await sim.Client.CoreV1.ReplaceNamespacedSecretAsync(
            new V1Secret { Metadata = new V1ObjectMeta { Name = "volume" }, StringData = new Dictionary<string, string> { ["apiKey"] = "second" } }, "volume", "work", cancellationToken: Ct);
        sim.Server.Store.Delete(new ResourceId("", "v1", "pods"), "work", first.Metadata.Name);
        var second = (await WaitAsync(() => sim.PodsAsync("app=h"), p => p.Count == 1 && p[0].Metadata.Uid != first.Metadata.Uid))[0];

        var before = PodSecretHashes.Read(DeploymentControllerTests.ToJson(first))["volume"];
        var after = PodSecretHashes.Read(DeploymentControllerTests.ToJson(second))["volume"];
        Assert.NotEqual(before, after);
        Assert.Equal(await sim.SecretHashAsync("volume"), after);
    }
}
