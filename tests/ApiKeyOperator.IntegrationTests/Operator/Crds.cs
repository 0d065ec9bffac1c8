using k8s;
using k8s.Autorest;
using k8s.Models;

namespace ApiKeyOperator.IntegrationTests.Operator;

/// <summary>Installs the project's CRDs (config/crds) into the test cluster, as `kubectl apply -f config/crds` would.</summary>
public static class Crds
{
    public static async Task EnsureInstalledAsync(IKubernetes client, CancellationToken cancellationToken)
    {
        foreach (var file in Directory.GetFiles(Path.Combine(RepoRoot.Path, "config", "crds"), "apikeyoperator.io_*.yaml"))
        {
            var crd = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(await File.ReadAllTextAsync(file, cancellationToken));
            try
            {
                await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd, cancellationToken: cancellationToken);
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.Conflict)
            {
                // Another test class installed it first.
            }

            await Eventually.WaitAsync(
                async ct => (await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(crd.Metadata.Name, cancellationToken: ct))
                    .Status?.Conditions?.Any(c => c.Type == "Established" && c.Status == "True") == true,
                TimeSpan.FromSeconds(30),
                $"CRD {crd.Metadata.Name} Established",
                cancellationToken);
        }
    }
}
