using k8s;
using KubeSim;

namespace ApiKeyOperator.IntegrationTests.Harness;

/// <summary>The default backend: an in-process KubeSim with its kubeconfig in a temporary file.</summary>
public sealed class SimClusterBackend : IClusterBackend
{
    private SimClusterBackend(KubeSimServer sim, string kubeconfigPath)
    {
        Sim = sim;
        KubeconfigPath = kubeconfigPath;
    }

    public TestBackendKind Kind => TestBackendKind.Sim;

    public IKubernetes Client => Sim.Client;

    public string KubeconfigPath { get; }

    public KubeSimServer Sim { get; }

    KubeSimServer? IClusterBackend.Sim => Sim;

    public static async Task<SimClusterBackend> StartAsync(KubeSimOptions? options, CancellationToken ct)
    {
        var sim = await KubeSimServer.StartAsync(options, ct);
        var path = Path.Combine(Path.GetTempPath(), $"kubesim-{Guid.NewGuid():N}.kubeconfig");
        sim.WriteKubeconfig(path);
        return new SimClusterBackend(sim, path);
    }

    public async ValueTask DisposeAsync()
    {
        await Sim.DisposeAsync();
        File.Delete(KubeconfigPath);
    }
}
