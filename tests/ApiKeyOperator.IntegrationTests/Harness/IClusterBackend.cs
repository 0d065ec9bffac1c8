using k8s;
using KubeSim;

namespace ApiKeyOperator.IntegrationTests.Harness;

/// <summary>A running cluster the integration tests talk to.</summary>
public interface IClusterBackend : IAsyncDisposable
{
    TestBackendKind Kind { get; }

    /// <summary>A client for the cluster.</summary>
    IKubernetes Client { get; }

    /// <summary>A kubeconfig file for the cluster (for kubectl or an operator process).</summary>
    string KubeconfigPath { get; }

    /// <summary>The in-process KubeSim (faults, request log, store) when Kind is Sim; otherwise null.</summary>
    KubeSimServer? Sim { get; }
}
