namespace ApiKeyOperator.IntegrationTests.Harness;

/// <summary>A k3s cluster regardless of APIKEY_TEST_BACKEND, for tests that must run against real Kubernetes.</summary>
public sealed class K3sClusterFixture : ClusterFixture
{
    public override TestBackendKind Kind => TestBackendKind.K3s;
}
