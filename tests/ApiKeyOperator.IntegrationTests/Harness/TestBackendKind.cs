namespace ApiKeyOperator.IntegrationTests.Harness;

/// <summary>Where integration tests run, chosen by APIKEY_TEST_BACKEND (sim | k3s | kubeconfig; default sim).</summary>
public enum TestBackendKind
{
    /// <summary>An in-process KubeSim server.</summary>
    Sim,

    /// <summary>A k3s container started with Testcontainers (needs a Docker engine).</summary>
    K3s,

    /// <summary>An existing cluster named by KUBECONFIG.</summary>
    Kubeconfig,
}
