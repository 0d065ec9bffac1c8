using System.Text;
using k8s;
using k8s.Models;
using Xunit;

namespace ApiKeyOperator.IntegrationTests.Harness;

/// <summary>The same smoke test on real Kubernetes (k3s); skipped with the reason when no Docker engine is reachable.</summary>
public sealed class K3sSmokeTests(K3sClusterFixture cluster) : ClusterTest(cluster), IClassFixture<K3sClusterFixture>
{
    [Fact]
    public async Task A_secret_can_be_created_and_read_on_k3s()
    {
        await Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "smoke" },
            StringData = new Dictionary<string, string> { ["key"] = "value" },
        }, Namespace, cancellationToken: Ct);

        var read = await Client.CoreV1.ReadNamespacedSecretAsync("smoke", Namespace, cancellationToken: Ct);

        Assert.Equal("value", Encoding.UTF8.GetString(read.Data["key"]));
        Assert.Equal(TestBackendKind.K3s, BackendKind);
    }
}
