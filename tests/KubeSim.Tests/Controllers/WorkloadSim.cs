using k8s;
using k8s.Models;
using KubeSim.Controllers;
using Xunit;

namespace KubeSim.Tests.Controllers;

/// <summary>A KubeSim server running its workload controllers, plus workload builders and probes.</summary>
internal sealed class WorkloadSim : IAsyncDisposable
{
    private WorkloadSim(KubeSimServer server) => Server = server;

    public KubeSimServer Server { get; }

    public IKubernetes Client => Server.Client;

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<WorkloadSim> StartAsync(int nodeCount = 1, int podReadyMilliseconds = 100)
    {
        var options = new KubeSimOptions { RunControllers = true, NodeCount = nodeCount, PodReadyDelay = TimeSpan.FromMilliseconds(podReadyMilliseconds) };
        var server = await KubeSimServer.StartAsync(options, Ct);
        await server.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "work" } }, cancellationToken: Ct);
        return new WorkloadSim(server);
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    /// <summary>Polls until the probe's value satisfies done; fails with the last value after the timeout.</summary>
    public static Task<T> WaitAsync<T>(Func<Task<T>> probe, Func<T, bool> done, double seconds = 15) =>
        Poll.UntilAsync(probe, done, TimeSpan.FromSeconds(seconds), Ct);

    public Task<V1Deployment> DeploymentAsync(string name) => Client.AppsV1.ReadNamespacedDeploymentAsync(name, "work", cancellationToken: Ct);

    public async Task<IList<V1Pod>> PodsAsync(string? labelSelector = null) =>
        (await Client.CoreV1.ListNamespacedPodAsync("work", labelSelector: labelSelector, cancellationToken: Ct)).Items;

    public async Task<IList<V1ReplicaSet>> ReplicaSetsAsync() =>
        (await Client.AppsV1.ListNamespacedReplicaSetAsync("work", cancellationToken: Ct)).Items;

    public Task<V1Secret> CreateSecretAsync(string name, string value) =>
        Client.CoreV1.CreateNamespacedSecretAsync(
            new V1Secret { Metadata = new V1ObjectMeta { Name = name }, StringData = new Dictionary<string, string> { ["apiKey"] = value } }, "work", cancellationToken: Ct);

    /// <summary>The value a pod's secret-hash annotation holds for the Secret as it is now.</summary>
    public async Task<string> SecretHashAsync(string name)
    {
        var secret = await Client.CoreV1.ReadNamespacedSecretAsync(name, "work", cancellationToken: Ct);
        return PodSecretHashes.HashOfBytes(secret.Data);
    }

    public static V1PodTemplateSpec Template(string app, string image = "registry.example/app:1", string? secretVolume = null)
    {
        var container = new V1Container { Name = "app", Image = image };
        var spec = new V1PodSpec { Containers = [container] };
        if (secretVolume is not null)
        {
            spec.Volumes = [new V1Volume { Name = "creds", Secret = new V1SecretVolumeSource { SecretName = secretVolume } }];
            container.VolumeMounts = [new V1VolumeMount { Name = "creds", MountPath = "/creds" }];
        }

        return new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = app } }, Spec = spec };
    }

    public static V1Deployment Deployment(string name, int replicas, V1PodTemplateSpec template, int? progressDeadlineSeconds = null, bool paused = false) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1DeploymentSpec
        {
            Replicas = replicas,
            Selector = new V1LabelSelector { MatchLabels = template.Metadata.Labels },
            Template = template,
            ProgressDeadlineSeconds = progressDeadlineSeconds,
            Paused = paused,
        },
    };

    public static V1DeploymentCondition? Condition(V1Deployment deployment, string type) =>
        deployment.Status?.Conditions?.FirstOrDefault(c => c.Type == type);

    /// <summary>The rollout-complete rule of `kubectl rollout status`.</summary>
    public static bool RolledOut(V1Deployment d) =>
        d.Status?.ObservedGeneration >= d.Metadata.Generation
        && (d.Status.UpdatedReplicas ?? 0) == d.Spec.Replicas
        && (d.Status.Replicas ?? 0) == d.Spec.Replicas
        && (d.Status.AvailableReplicas ?? 0) == d.Spec.Replicas;

    public static bool IsReady(V1Pod pod) => pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;
}
