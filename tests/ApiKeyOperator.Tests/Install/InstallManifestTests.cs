using Xunit;
using YamlDotNet.RepresentationModel;

namespace ApiKeyOperator.Tests.Install;

/// <summary>What `kubectl kustomize config/default` installs.</summary>
public sealed class InstallManifestTests
{
    private const string Namespace = OperatorPermissions.OperatorNamespace;
    private const string LedgerDirectory = "/var/lib/apikey-operator";

    private static readonly string[] ClusterScopedKinds =
        ["Namespace", "CustomResourceDefinition", "ClusterRole", "ClusterRoleBinding"];

    private static readonly string[] WorkloadKinds = ["Deployment", "StatefulSet", "DaemonSet", "Job", "Pod"];

    [Fact]
    public async Task DefaultRendersTheWholeInstallIntoTheOperatorNamespace()
    {
        var manifests = await Kustomize.RenderDefaultAsync(TestContext.Current.CancellationToken);

        string[] expected =
        [
            "ClusterRole/apikey-operator-manager",
            "ClusterRole/apikey-operator-metrics-reader",
            "ClusterRole/apikeyoperator-admin",
            "ClusterRole/apikeyoperator-editor",
            "ClusterRole/apikeyoperator-viewer",
            "ClusterRoleBinding/apikey-operator-manager",
            "CustomResourceDefinition/apikeyrotations.apikeyoperator.io",
            "CustomResourceDefinition/apikeys.apikeyoperator.io",
            "Deployment/apikey-operator",
            "Namespace/apikey-operator-system",
            "PodDisruptionBudget/apikey-operator",
            "Role/apikey-operator-leader-election",
            "RoleBinding/apikey-operator-leader-election",
            "Service/apikey-operator-metrics",
            "Service/apikey-operator-review",
            "ServiceAccount/apikey-operator",
        ];
        Assert.Equal(expected, manifests.Select(m => $"{m.Kind()}/{m.Name()}").Order(StringComparer.Ordinal));
        foreach (var manifest in manifests)
        {
            var expectedNamespace = ClusterScopedKinds.Contains(manifest.Kind()) ? null : Namespace;
            Assert.True(expectedNamespace == manifest.Namespace(), $"{manifest.Kind()}/{manifest.Name()} is in namespace '{manifest.Namespace()}'");
        }
    }

    [Fact]
    public async Task EveryContainerRunsWithTheRestrictedSecurityContext()
    {
        var manifests = await Kustomize.RenderDefaultAsync(TestContext.Current.CancellationToken);

        var workloads = manifests.Where(m => WorkloadKinds.Contains(m.Kind())).ToList();
        Assert.NotEmpty(workloads);
        foreach (var workload in workloads)
        {
            var pod = PodSpec(workload);
            var podContext = pod.Map("securityContext");
            Assert.NotEqual("true", pod.Str("hostNetwork"));
            Assert.DoesNotContain(pod.Maps("volumes"), volume => volume.Map("hostPath") is not null);
            var containers = pod.Maps("initContainers").Concat(pod.Maps("containers")).ToList();
            Assert.NotEmpty(containers);
            foreach (var container in containers)
            {
                var context = container.Map("securityContext");
                Assert.True(context is not null, $"container {container.Str("name")} has no securityContext");
                Assert.Equal("true", context.Str("runAsNonRoot") ?? podContext?.Str("runAsNonRoot"));
                Assert.Equal("65532", context.Str("runAsUser") ?? podContext?.Str("runAsUser"));
                Assert.Equal("true", context.Str("readOnlyRootFilesystem"));
                Assert.Equal("false", context.Str("allowPrivilegeEscalation"));
                Assert.Equal(["ALL"], context.Map("capabilities")?.Strings("drop") ?? []);
                Assert.Empty(context.Map("capabilities")?.Strings("add") ?? []);
                Assert.NotEqual("true", context.Str("privileged"));
                Assert.Equal("RuntimeDefault", (context.Map("seccompProfile") ?? podContext?.Map("seccompProfile"))?.Str("type"));
            }
        }
    }

    [Fact]
    public async Task ManagerRunsTwoLeaderElectedReplicasWithProbesResourcesAndALedgerVolume()
    {
        var manifests = await Kustomize.RenderDefaultAsync(TestContext.Current.CancellationToken);

        var deployment = YamlNodes.Find(manifests, "Deployment", "apikey-operator");
        Assert.Equal("2", deployment.Map("spec")!.Str("replicas"));
        var pod = PodSpec(deployment);
        Assert.Equal(OperatorPermissions.ServiceAccount, pod.Str("serviceAccountName"));
        Assert.NotEmpty(pod.Maps("topologySpreadConstraints"));
        var manager = Assert.Single(pod.Maps("containers"));

        var args = manager.Strings("args");
        Assert.Contains("--leader-elect", args);
        Assert.Contains("--metrics-bind-address=:8080", args);
        Assert.Contains("--health-probe-bind-address=:8081", args);
        Assert.Contains("--review-bind-address=:8443", args);
        Assert.Contains($"--ledger-path={LedgerDirectory}/ledger.db", args);

        var ports = manager.Maps("ports").ToDictionary(p => p.Str("name")!, p => p.Str("containerPort"));
        Assert.Equal(new Dictionary<string, string?> { ["metrics"] = "8080", ["health"] = "8081", ["review"] = "8443" }, ports);
        AssertProbe(manager.Map("livenessProbe"), "/healthz", ports);
        AssertProbe(manager.Map("readinessProbe"), "/readyz", ports);

        foreach (var bound in new[] { "requests", "limits" })
        {
            var resources = manager.Map("resources")?.Map(bound);
            Assert.False(string.IsNullOrEmpty(resources?.Str("cpu")), $"no cpu {bound}");
            Assert.False(string.IsNullOrEmpty(resources?.Str("memory")), $"no memory {bound}");
        }

        var volumes = pod.Maps("volumes").ToDictionary(v => v.Str("name")!);
        var mounts = manager.Maps("volumeMounts").ToDictionary(m => m.Str("mountPath")!, m => m.Str("name")!);
        Assert.NotNull(volumes[mounts[LedgerDirectory]].Map("emptyDir"));
        Assert.NotNull(volumes[mounts["/tmp"]].Map("emptyDir"));
    }

    [Fact]
    public async Task ServicesReachTheManagerPodsOnMetricsAndReviewPorts()
    {
        var manifests = await Kustomize.RenderDefaultAsync(TestContext.Current.CancellationToken);

        var podLabels = YamlNodes.Find(manifests, "Deployment", "apikey-operator").Map("spec")!.Map("template")!.Map("metadata")!.Map("labels")!;
        foreach (var (service, port) in new[] { ("apikey-operator-metrics", "8080"), ("apikey-operator-review", "8443") })
        {
            var spec = YamlNodes.Find(manifests, "Service", service).Map("spec")!;
            foreach (var (key, value) in spec.Map("selector")!.Children)
            {
                Assert.Equal(value.ToString(), podLabels.Str(key.ToString()));
            }

            Assert.Equal(port, Assert.Single(spec.Maps("ports")).Str("port"));
        }
    }

    [Fact]
    public async Task OnlyTheManagerMayTouchSecretsAndNoRoleUsesWildcards()
    {
        var manifests = await Kustomize.RenderDefaultAsync(TestContext.Current.CancellationToken);

        var roles = manifests.Where(m => m.Kind() is "ClusterRole" or "Role").ToList();
        foreach (var role in roles)
        {
            var grants = RbacRules.Grants(role);
            Assert.DoesNotContain(grants, g => g.ApiGroup == "*" || g.Resource == "*" || g.Verb == "*");
            var secretGrants = grants.Where(g => g.ApiGroup.Length == 0 && g.Resource == "secrets").ToHashSet();
            var allowed = role.Name() == OperatorPermissions.ManagerClusterRole
                ? OperatorPermissions.ClusterWide.Where(g => g.Resource == "secrets").ToHashSet()
                : [];
            Assert.Subset(allowed, secretGrants);
        }
    }

    [Fact]
    public async Task RolesNameTheResourcesTheCrdsServe()
    {
        var manifests = await Kustomize.RenderDefaultAsync(TestContext.Current.CancellationToken);

        var crds = manifests.Where(m => m.Kind() == "CustomResourceDefinition").ToList();
        var served = crds.Select(crd => crd.Map("spec")!.Map("names")!.Str("plural")!).Order(StringComparer.Ordinal);
        var granted = OperatorPermissions.ClusterWide
            .Where(g => g.ApiGroup == "apikeyoperator.io")
            .Select(g => g.Resource.Split('/')[0])
            .Distinct()
            .Order(StringComparer.Ordinal);
        Assert.Equal(served, granted);
        Assert.All(crds, crd => Assert.Equal("apikeyoperator.io", crd.Map("spec")!.Str("group")));
        Assert.All(crds, crd => Assert.All(
            crd.Map("spec")!.Maps("versions").Where(v => v.Str("served") == "true"),
            version => Assert.NotNull(version.Map("subresources")?.Map("status"))));
    }

    private static YamlMappingNode PodSpec(YamlMappingNode workload)
    {
        var spec = workload.Map("spec")!;
        return workload.Kind() == "Pod" ? spec : spec.Map("template")!.Map("spec")!;
    }

    private static void AssertProbe(YamlMappingNode? probe, string path, Dictionary<string, string?> ports)
    {
        var httpGet = probe?.Map("httpGet");
        Assert.Equal(path, httpGet?.Str("path"));
        var port = httpGet!.Str("port")!;
        Assert.Equal("8081", ports.GetValueOrDefault(port, port));
    }
}
