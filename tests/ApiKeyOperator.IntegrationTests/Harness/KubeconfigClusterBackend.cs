using k8s;
using KubeSim;

namespace ApiKeyOperator.IntegrationTests.Harness;

/// <summary>An existing cluster named by the KUBECONFIG environment variable.</summary>
public sealed class KubeconfigClusterBackend : IClusterBackend
{
    private readonly Kubernetes client;

    private KubeconfigClusterBackend(string path)
    {
        KubeconfigPath = path;
        client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(path));
    }

    public TestBackendKind Kind => TestBackendKind.Kubeconfig;

    public IKubernetes Client => client;

    public string KubeconfigPath { get; }

    public KubeSimServer? Sim => null;

    /// <summary>Connects to KUBECONFIG's cluster, or returns why it cannot (variable unset or file missing).</summary>
    public static (KubeconfigClusterBackend? Backend, string? Unavailable) TryConnect()
    {
        var path = Environment.GetEnvironmentVariable("KUBECONFIG");
        if (string.IsNullOrEmpty(path) || !File.Exists(path))
        {
            return (null, $"kubeconfig backend unavailable: KUBECONFIG is '{path}', which names no file");
        }

        return (new KubeconfigClusterBackend(path), null);
    }

    public ValueTask DisposeAsync()
    {
        client.Dispose();
        return ValueTask.CompletedTask;
    }
}
