using k8s;
using KubeSim;
using Testcontainers.K3s;

namespace ApiKeyOperator.IntegrationTests.Harness;

/// <summary>A real Kubernetes (k3s) in a container. Needs a reachable Docker engine.</summary>
public sealed class K3sClusterBackend : IClusterBackend
{
    /// <summary>The k3s image; Kubernetes 1.32 like the kubectl on the build machines.</summary>
    public const string Image = "rancher/k3s:v1.32.3-k3s1";

    private readonly K3sContainer container;
    private readonly Kubernetes client;

    private K3sClusterBackend(K3sContainer container, string kubeconfigPath)
    {
        this.container = container;
        KubeconfigPath = kubeconfigPath;
        client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfigPath));
    }

    public TestBackendKind Kind => TestBackendKind.K3s;

    public IKubernetes Client => client;

    public string KubeconfigPath { get; }

    public KubeSimServer? Sim => null;

    /// <summary>Starts k3s, or returns the reason it cannot run here (no Docker engine) so tests can skip.</summary>
    public static async Task<(K3sClusterBackend? Backend, string? Unavailable)> TryStartAsync(CancellationToken ct)
    {
        K3sContainer container;
        try
        {
            container = new K3sBuilder(Image).Build();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return (null, $"k3s backend unavailable: no Docker engine reachable ({ex.GetType().Name}: {ex.Message})");
        }

        try
        {
            await container.StartAsync(ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await container.DisposeAsync();
            return (null, $"k3s backend unavailable: could not start {Image} ({ex.GetType().Name}: {ex.Message})");
        }

        var path = Path.Combine(Path.GetTempPath(), $"k3s-{Guid.NewGuid():N}.kubeconfig");
        await File.WriteAllTextAsync(path, await container.GetKubeconfigAsync(), ct);
        return (new K3sClusterBackend(container, path), null);
    }

    public async ValueTask DisposeAsync()
    {
        client.Dispose();
        await container.DisposeAsync();
        File.Delete(KubeconfigPath);
    }
}
