using System.Net;
using ApiKeyOperator.Api;
using ApiKeyOperator.Certificates;
using ApiKeyOperator.IntegrationTests.Harness;
using ApiKeyOperator.IntegrationTests.Operator;
using ApiKeyOperator.Tests.Install;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Xunit;

namespace ApiKeyOperator.IntegrationTests.Install;

/// <summary>
/// config/overlays/namespaced on a KubeSim that enforces RBAC: the operator, as its ServiceAccount with only the
/// overlay's Roles, serves the listed namespaces and gets 403 everywhere else.
/// </summary>
public sealed class NamespacedInstallTests(RbacEnforcingSimFixture cluster) : OperatorTest(cluster), IClassFixture<RbacEnforcingSimFixture>
{
    private readonly string _workDir = Directory.CreateTempSubdirectory("namespaced-install-").FullName;

    [Fact]
    public async Task The_operator_works_with_only_the_overlays_Roles_and_is_refused_outside_its_namespaces()
    {
        var second = Namespace + "-b";
        var outside = Namespace + "-c";
        foreach (var ns in new[] { second, outside })
        {
            await Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } }, cancellationToken: Ct);
        }

        // What the overlay's README asks: team-a and team-b replaced by the namespaces to serve.
        var manifests = (await Kustomize.RenderAsync("overlays/namespaced", Ct))
            .Select(m => m.Namespace() switch
            {
                "team-a" => Renamespaced(m, Namespace),
                "team-b" => Renamespaced(m, second),
                _ => m,
            })
            .ToList();
        await InstalledRbac.ApplyAsync(Client, manifests, Ct);
        var args = InstalledRbac.Local(InstalledRbac.Args(manifests, "apikey-operator"), _workDir, OperatorKubeconfigPath,
            new Dictionary<string, string> { ["--namespace"] = $"{Namespace},{second}" });
        var logStart = Sim.Requests.Snapshot().Count;

        var running = await StartOperatorAsync(args);
        foreach (var ns in new[] { Namespace, second, outside })
        {
            await Resources<ApiKey>().CreateAsync(new ApiKey { Metadata = new V1ObjectMeta { Name = "billing", NamespaceProperty = ns }, Spec = new ApiKeySpec { SecretName = "billing-key" } }, Ct);
        }

        foreach (var ns in new[] { Namespace, second })
        {
            await Eventually.WaitAsync(
                async ct => Conditions.IsTrue((await Resources<ApiKey>().GetAsync(new Runtime.ObjectKey(ns, "billing"), ct))?.Status?.Conditions, ConditionTypes.Ready),
                Timeout, $"ApiKey {ns}/billing Ready", Ct);
        }

        // Its own certificates, in its own namespace, through the overlay's certificates Role.
        await Eventually.WaitAsync(
            async ct => await Resources<V1Secret>().GetAsync(new Runtime.ObjectKey(OperatorPermissions.OperatorNamespace, CertificateNames.ServingSecret), ct) is not null,
            Timeout, "the serving certificate Secret", Ct);
        Assert.True(running.Host.IsReconciling);
        var untouched = (await Resources<ApiKey>().GetAsync(new Runtime.ObjectKey(outside, "billing"), Ct))!;
        Assert.Null(untouched.Status?.CurrentKeyId);
        Assert.Null(untouched.Status?.Conditions);
        Assert.Null(untouched.Metadata.Finalizers);
        Assert.Null(await Resources<V1Secret>().GetAsync(new Runtime.ObjectKey(outside, "billing-key"), Ct));

        var operatorRequests = Sim.Requests.Snapshot().Skip(logStart).Where(r => r.User == OperatorIdentities.Operator).ToList();
        Assert.NotEmpty(operatorRequests);
        Assert.Empty(operatorRequests.Where(r => r.StatusCode == 403).Select(r => $"{r.Verb} {r.Path}"));
        Assert.DoesNotContain(operatorRequests, r => r.Resource == "secrets" && r.Namespace is null);

        // What it may not do: Secrets of other namespaces, or of all namespaces at once.
        using var asOperator = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(OperatorKubeconfigPath));
        var elsewhere = await Assert.ThrowsAsync<HttpOperationException>(() => asOperator.CoreV1.ListNamespacedSecretAsync(outside, cancellationToken: Ct));
        var everywhere = await Assert.ThrowsAsync<HttpOperationException>(() => asOperator.CoreV1.ListSecretForAllNamespacesAsync(cancellationToken: Ct));
        Assert.Equal(HttpStatusCode.Forbidden, elsewhere.Response.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, everywhere.Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await asOperator.CoreV1.ListNamespacedSecretWithHttpMessagesAsync(second, cancellationToken: Ct)).Response.StatusCode);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_workDir, recursive: true);
    }

    private static YamlDotNet.RepresentationModel.YamlMappingNode Renamespaced(YamlDotNet.RepresentationModel.YamlMappingNode manifest, string ns)
    {
        manifest.Map("metadata")!.Children[new YamlDotNet.RepresentationModel.YamlScalarNode("namespace")] = new YamlDotNet.RepresentationModel.YamlScalarNode(ns);
        return manifest;
    }
}
