using System.Text;
using k8s;
using k8s.Models;
using Xunit;

namespace ApiKeyOperator.IntegrationTests.Harness;

/// <summary>The harness works on the configured backend (sim by default).</summary>
public sealed class HarnessSmokeTests(ClusterFixture cluster) : ClusterTest(cluster)
{
    [Fact]
    public async Task A_secret_can_be_created_and_read_in_the_test_namespace()
    {
        await Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "smoke" },
            StringData = new Dictionary<string, string> { ["key"] = "value" },
        }, Namespace, cancellationToken: Ct);

        var read = await Client.CoreV1.ReadNamespacedSecretAsync("smoke", Namespace, cancellationToken: Ct);

        Assert.Equal("value", Encoding.UTF8.GetString(read.Data["key"]));
        Assert.Equal(Namespace, read.Metadata.NamespaceProperty);
    }

    [Fact]
    public async Task The_kubeconfig_file_reaches_the_same_cluster()
    {
        using var viaFile = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(KubeconfigPath));

        var namespaces = await viaFile.CoreV1.ListNamespaceAsync(cancellationToken: Ct);

        Assert.Contains(namespaces.Items, n => n.Metadata.Name == Namespace);
    }

    [Fact]
    public void Fault_injection_is_offered_exactly_by_the_sim_backend()
    {
        Assert.Equal(BackendKind == TestBackendKind.Sim, SupportsFaultInjection);
    }
}
