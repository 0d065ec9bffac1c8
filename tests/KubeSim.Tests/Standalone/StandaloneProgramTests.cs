using k8s;
using k8s.Models;
using Xunit;

namespace KubeSim.Tests.Standalone;

public sealed class StandaloneProgramTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Standalone_server_prints_its_address_writes_a_kubeconfig_and_exits_cleanly_on_SIGTERM()
    {
        await using var sim = await StandaloneKubeSim.StartAsync(Ct);

        Assert.Equal("127.0.0.1", sim.Url.Host);
        var kubeconfig = await File.ReadAllTextAsync(sim.KubeconfigPath, Ct);
        Assert.Contains($"server: {sim.Url.ToString().TrimEnd('/')}", kubeconfig, StringComparison.Ordinal);
        Assert.Contains("current-context: kubesim", kubeconfig, StringComparison.Ordinal);

        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(sim.KubeconfigPath);
        using (var client = new Kubernetes(config))
        {
            await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "s" } }, "default", cancellationToken: Ct);
            var secrets = await client.CoreV1.ListNamespacedSecretAsync("default", cancellationToken: Ct);
            Assert.Equal(["s"], secrets.Items.Select(s => s.Metadata.Name));
        }

        Assert.Equal(0, await sim.TerminateAsync(Ct));
    }
}
