using System.Net;
using ApiKeyOperator.IntegrationTests.Harness;
using ApiKeyOperator.IntegrationTests.Operator;
using ApiKeyOperator.IntegrationTests.Rotations;
using ApiKeyOperator.Tests.Install;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Xunit;

namespace ApiKeyOperator.IntegrationTests.Install;

/// <summary>
/// `kubectl apply -k config/default` installs the operator into KubeSim, as the README tells users to. On a KubeSim of
/// its own: the install's admission webhook configurations match every namespace, so on a shared server they would
/// send every other test's ApiKey writes to a webhook no operator serves.
/// </summary>
public sealed class KubectlInstallTests(PrivateSimFixture cluster) : ClusterTest(cluster), IClassFixture<PrivateSimFixture>
{
    private const string InstallNamespace = OperatorPermissions.OperatorNamespace;
    private const string PartOf = "app.kubernetes.io/part-of=apikey-operator";
    private static readonly TimeSpan KubectlTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Default_install_applies_twice_and_kubectl_shows_the_manager_deployment()
    {
        // The install's Namespace, ClusterRoles and ClusterRoleBinding are cluster-wide and removed afterwards:
        // KubeSim only, never a real cluster that may run the operator.
        _ = Sim;
        var kubectl = ProcessRunner.FindOnPath("kubectl");
        if (kubectl is null)
        {
            Assert.Skip("kubectl is not on PATH");
        }

        var rendered = await Kustomize.RenderDefaultAsync(Ct);
        // Other test classes create the shared CRDs concurrently; kubectl's get-then-create would lose that race.
        await Crds.EnsureInstalledAsync(Client, Ct);
        await RemoveInstallAsync();
        try
        {
            var first = await KubectlAsync(kubectl, "apply", "-k", "config/default");
            var second = await KubectlAsync(kubectl, "apply", "-k", "config/default");
            var deployments = await KubectlAsync(kubectl, "get", "deploy", "-n", InstallNamespace);
            var services = await KubectlAsync(kubectl, "get", "svc", "-n", InstallNamespace, "-o", "jsonpath={.items[*].spec.clusterIP}");

            var applied = Lines(first.StandardOutput);
            Assert.Equal(rendered.Count, applied.Count);
            Assert.Contains("deployment.apps/apikey-operator created", applied);
            Assert.Contains("deployment.apps/apikey-operator-review created", applied);
            Assert.Contains("clusterrole.rbac.authorization.k8s.io/apikey-operator-manager created", applied);
            Assert.Contains("poddisruptionbudget.policy/apikey-operator created", applied);
            Assert.Contains("deployment.apps/apikey-operator unchanged", Lines(second.StandardOutput));
            Assert.Contains("rolebinding.rbac.authorization.k8s.io/apikey-operator-leader-election unchanged", Lines(second.StandardOutput));
            var table = Lines(deployments.StandardOutput);
            Assert.StartsWith("NAME", table[0], StringComparison.Ordinal);
            Assert.Contains(table, line => line.StartsWith("apikey-operator ", StringComparison.Ordinal));
            Assert.Contains(table, line => line.StartsWith("apikey-operator-review ", StringComparison.Ordinal));
            var clusterIps = services.StandardOutput.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(4, clusterIps.Length);
            Assert.All(clusterIps, ip => Assert.True(IPAddress.TryParse(ip, out _), $"'{ip}' is not a cluster IP"));

            var deployment = await Client.AppsV1.ReadNamespacedDeploymentAsync("apikey-operator", InstallNamespace, cancellationToken: Ct);
            Assert.Equal(2, deployment.Spec.Replicas);
            Assert.Equal(OperatorPermissions.ServiceAccount, deployment.Spec.Template.Spec.ServiceAccountName);
        }
        finally
        {
            await RemoveInstallAsync();
        }
    }

    private async Task<ProcessResult> KubectlAsync(string kubectl, params string[] args)
    {
        var result = await ProcessRunner.RunAsync(kubectl, ["--kubeconfig", KubeconfigPath, .. args], RepoPaths.Root, KubectlTimeout, Ct);
        Assert.True(result.ExitCode == 0, $"kubectl {string.Join(' ', args)}: {result.Describe()}");
        return result;
    }

    // Everything the install created except the CRDs, which every operator test of this assembly uses. Waits until the
    // namespace is gone, so the next apply (this test again, or a rerun on the same cluster) starts from nothing.
    private async Task RemoveInstallAsync()
    {
        await Client.RbacAuthorizationV1.DeleteCollectionClusterRoleBindingAsync(labelSelector: PartOf, cancellationToken: Ct);
        await Client.RbacAuthorizationV1.DeleteCollectionClusterRoleAsync(labelSelector: PartOf, cancellationToken: Ct);
        await Client.AdmissionregistrationV1.DeleteCollectionMutatingWebhookConfigurationAsync(labelSelector: PartOf, cancellationToken: Ct);
        await Client.AdmissionregistrationV1.DeleteCollectionValidatingWebhookConfigurationAsync(labelSelector: PartOf, cancellationToken: Ct);
        try
        {
            await Client.CoreV1.DeleteNamespaceAsync(InstallNamespace, cancellationToken: Ct);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return;
        }

        await Eventually.WaitAsync(
            async ct => (await Client.CoreV1.ListNamespaceAsync(fieldSelector: $"metadata.name={InstallNamespace}", cancellationToken: ct)).Items.Count == 0,
            TimeSpan.FromSeconds(60),
            $"namespace {InstallNamespace} deleted",
            Ct);
        Assert.Empty((await Client.RbacAuthorizationV1.ListClusterRoleAsync(labelSelector: PartOf, cancellationToken: Ct)).Items);
    }

    private static List<string> Lines(string text) =>
        [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
