using System.Net;
using System.Text;
using ApiKeyOperator.Api;
using ApiKeyOperator.Cli;
using ApiKeyOperator.IntegrationTests.Cli;
using ApiKeyOperator.IntegrationTests.Identity;
using ApiKeyOperator.IntegrationTests.Operator;
using ApiKeyOperator.IntegrationTests.Rotations;
using ApiKeyOperator.Runtime;
using ApiKeyOperator.Tests.Install;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Xunit;

namespace ApiKeyOperator.IntegrationTests.Install;

/// <summary>
/// `make deploy` and the README's uninstall against a KubeSim of this class's own (they create and delete CRDs and
/// cluster-wide objects). The in-process operator stands in for the deployed one, which KubeSim cannot run.
/// </summary>
public sealed class UninstallTests(PrivateSimFixture cluster) : OperatorTest(cluster), IClassFixture<PrivateSimFixture>
{
    private const string Image = "registry.example.com/team/apikey-operator:uninstall-test";
    private const string InstallNamespace = OperatorPermissions.OperatorNamespace;
    private static readonly string[] Crds = ["apikeys.apikeyoperator.io", "apikeyrotations.apikeyoperator.io"];
    private static readonly TimeSpan MakeTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Deploy_installs_IMG_and_undeploy_with_keep_secrets_leaves_every_secret_with_its_data()
    {
        var deploy = await MakeAsync("deploy", $"IMG={Image}");
        var deployment = await Client.AppsV1.ReadNamespacedDeploymentAsync("apikey-operator", InstallNamespace, cancellationToken: Ct);
        Assert.Equal(Image, Assert.Single(deployment.Spec.Template.Spec.Containers).Image);
        Assert.Equal("run", deployment.Spec.Template.Spec.Containers[0].Args[0]);
        Assert.Contains("deployment.apps/apikey-operator created", deploy, StringComparison.Ordinal);

        await StartInstalledOperatorAsync();
        var before = await ApiKeysWithSecretsAsync("alpha", "beta");

        var undeploy = await MakeAsync("undeploy", $"IMG={Image}", "KEEP_SECRETS=true", $"APIKEY_OPERATOR=dotnet {BinaryProcess.EntryAssembly}");

        Assert.Contains($"secret/alpha-key -n {Namespace}: orphaned from apikey alpha", undeploy, StringComparison.Ordinal);
        await AssertUninstalledAsync();
        foreach (var (name, data) in before)
        {
            var secret = await Resources<V1Secret>().GetAsync(Key($"{name}-key"), Ct);
            Assert.NotNull(secret);
            Assert.Equal(data, secret.Data.ToDictionary(d => d.Key, d => Encoding.UTF8.GetString(d.Value)));
            Assert.DoesNotContain(secret.Metadata.OwnerReferences ?? [], SecretOwnership.IsApiKeyReference);
        }
    }

    [Fact]
    public async Task Undeploy_removes_each_secret_only_after_every_key_of_its_apikey_was_revoked()
    {
        await SkipUnlessCrdDeletionWaitsForFinalizersAsync();
        await MakeAsync("deploy", $"IMG={Image}");
        await StartInstalledOperatorAsync();
        var before = await ApiKeysWithSecretsAsync("alpha", "beta");
        await using var apiKeyEvents = await RecordAsync<ApiKey>();
        await using var secretEvents = await RecordAsync<V1Secret>();

        await MakeAsync("undeploy", $"IMG={Image}");

        await AssertUninstalledAsync();
        foreach (var name in before.Keys)
        {
            Assert.Null(await Resources<V1Secret>().GetAsync(Key($"{name}-key"), Ct));
            var deleted = await Eventually.GetAsync(
                _ => Task.FromResult(secretEvents.Events.FirstOrDefault(e => e.Type == WatchEventType.Deleted && e.Object!.Metadata.Name == $"{name}-key")),
                Timeout, $"the watch sees Secret {name}-key deleted", Ct);
            var revoked = apiKeyEvents.Events.FirstOrDefault(e => e.Object?.Metadata.Name == name
                && e.Object.Status?.Keys is { Count: > 0 } keys && keys.All(k => k.State == KeyStates.Revoked));
            Assert.True(revoked is not null, $"no ApiKey {name} with every key Revoked was seen before the CRD went");
            Assert.True(
                long.Parse(revoked.Object!.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture)
                < long.Parse(deleted.Object!.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture),
                $"Secret {name}-key was deleted (rv {deleted.Object.Metadata.ResourceVersion}) before its keys were revoked (rv {revoked.Object.Metadata.ResourceVersion})");
        }
    }

    // The deployed controllers serve the shipped admission webhook: so does their stand-in.
    private async Task StartInstalledOperatorAsync()
    {
        var running = await StartOperatorAsync(OperatorArgs(ShippedWebhook.Args(InstallNamespace)));
        await ShippedWebhook.ServeAsync(running, Sim, Client, Timeout, Ct);
    }

    // Two ApiKeys issued by the running operator; their Secrets' data as text.
    private async Task<Dictionary<string, Dictionary<string, string>>> ApiKeysWithSecretsAsync(params string[] names)
    {
        var result = new Dictionary<string, Dictionary<string, string>>();
        foreach (var name in names)
        {
            await CreateApiKeyAsync(name);
            await WaitForReadyAsync(name);
            var secret = await Resources<V1Secret>().GetAsync(Key($"{name}-key"), Ct);
            result[name] = secret!.Data.ToDictionary(d => d.Key, d => Encoding.UTF8.GetString(d.Value));
            Assert.Contains(secret.Metadata.OwnerReferences, SecretOwnership.IsApiKeyReference);
        }

        return result;
    }

    private async Task AssertUninstalledAsync()
    {
        var crds = await Client.ApiextensionsV1.ListCustomResourceDefinitionAsync(cancellationToken: Ct);
        Assert.DoesNotContain(crds.Items, c => Crds.Contains(c.Metadata.Name));
        Assert.Empty((await Client.RbacAuthorizationV1.ListClusterRoleAsync(labelSelector: "app.kubernetes.io/part-of=apikey-operator", cancellationToken: Ct)).Items);
        await Eventually.WaitAsync(
            async ct => (await Client.CoreV1.ListNamespaceAsync(fieldSelector: $"metadata.name={InstallNamespace}", cancellationToken: ct)).Items.Count == 0,
            Timeout, $"namespace {InstallNamespace} deleted", Ct);
    }

    // Every watch event of T in this test's namespace from now on, until the watch ends (a kind whose CRD is deleted) or the test does.
    private async Task<WatchRecording<T>> RecordAsync<T>() where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var list = await Resources<T>().ListAsync(Namespace, null, Ct);
        return WatchRecording<T>.Start(Resources<T>(), Namespace, list.ResourceVersion, Ct);
    }

    private async Task<string> MakeAsync(params string[] args)
    {
        var make = ProcessRunner.FindOnPath("make");
        if (make is null || ProcessRunner.FindOnPath("kubectl") is null)
        {
            Assert.Skip("make deploy and make undeploy need make and kubectl");
        }

        var result = await ProcessRunner.RunAsync(
            make, ["-s", "--no-print-directory", .. args, $"KUBECONFIG={KubeconfigPath}", "UNDEPLOY_TIMEOUT=60s", "KUSTOMIZE="], RepoPaths.Root, MakeTimeout, Ct);
        Assert.True(result.ExitCode == 0, $"make {string.Join(' ', args)}: {result.Describe()}");
        return result.StandardOutput;
    }

    // A real API server deletes a CRD's instances through their finalizers before the CRD goes; until KubeSim does
    // too, the "revoked before removed" order cannot be shown on it.
    private async Task SkipUnlessCrdDeletionWaitsForFinalizersAsync()
    {
        var crd = new V1CustomResourceDefinition
        {
            Metadata = new V1ObjectMeta { Name = "probes.finalizers.kubesim.test" },
            Spec = new V1CustomResourceDefinitionSpec
            {
                Group = "finalizers.kubesim.test",
                Scope = "Namespaced",
                Names = new V1CustomResourceDefinitionNames { Plural = "probes", Singular = "probe", Kind = "Probe" },
                Versions =
                [
                    new V1CustomResourceDefinitionVersion
                    {
                        Name = "v1", Served = true, Storage = true,
                        Schema = new V1CustomResourceValidation { OpenAPIV3Schema = new V1JSONSchemaProps { Type = "object", XKubernetesPreserveUnknownFields = true } },
                    },
                ],
            },
        };
        await Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd, cancellationToken: Ct);
        await Eventually.WaitAsync(
            async ct => (await Client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(crd.Metadata.Name, cancellationToken: ct)).Status?.Conditions?.Any(c => c.Type == "Established" && c.Status == "True") == true,
            Timeout, "probe CRD established", Ct);
        var probe = new { apiVersion = "finalizers.kubesim.test/v1", kind = "Probe", metadata = new { name = "held", finalizers = new[] { "kubesim.test/hold" } } };
        await Client.CustomObjects.CreateNamespacedCustomObjectAsync(probe, "finalizers.kubesim.test", "v1", Namespace, "probes", cancellationToken: Ct);
        await Client.ApiextensionsV1.DeleteCustomResourceDefinitionAsync(crd.Metadata.Name, cancellationToken: Ct);
        bool held;
        try
        {
            await Client.CustomObjects.GetNamespacedCustomObjectAsync("finalizers.kubesim.test", "v1", Namespace, "probes", "held", cancellationToken: Ct);
            held = true;
            await Client.CustomObjects.PatchNamespacedCustomObjectAsync(
                new V1Patch("{\"metadata\":{\"finalizers\":null}}", V1Patch.PatchType.MergePatch), "finalizers.kubesim.test", "v1", Namespace, "probes", "held", cancellationToken: Ct);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            held = false;
        }

        if (!held)
        {
            Assert.Skip("KubeSim removes a deleted CRD's instances without waiting for their finalizers; a real API server waits, which is what makes this order hold");
        }
    }
}
