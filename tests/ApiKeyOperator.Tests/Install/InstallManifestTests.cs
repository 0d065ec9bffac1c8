using Xunit;
using YamlDotNet.RepresentationModel;

namespace ApiKeyOperator.Tests.Install;

/// <summary>What `kubectl kustomize config/default` installs.</summary>
public sealed class InstallManifestTests
{
    private const string Namespace = OperatorPermissions.OperatorNamespace;
    private const string LedgerDirectory = "/var/lib/apikey-operator";

    private static readonly string[] ClusterScopedKinds =
        ["Namespace", "CustomResourceDefinition", "ClusterRole", "ClusterRoleBinding", "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"];

    private static readonly string[] WorkloadKinds = ["Deployment", "StatefulSet", "DaemonSet", "Job", "Pod"];

    [Fact]
    public async Task DefaultRendersTheWholeInstallIntoTheOperatorNamespace()
    {
        var manifests = await Kustomize.RenderDefaultAsync(TestContext.Current.CancellationToken);

        string[] expected =
        [
            "ClusterRole/apikey-operator-audit-reader",
            "ClusterRole/apikey-operator-authenticator",
            "ClusterRole/apikey-operator-manager",
            "ClusterRole/apikey-operator-metrics-reader",
            "ClusterRole/apikey-operator-review",
            "ClusterRole/apikey-operator-webhook-injector",
            "ClusterRole/apikeyoperator-admin",
            "ClusterRole/apikeyoperator-editor",
            "ClusterRole/apikeyoperator-editor-scopes",
            "ClusterRole/apikeyoperator-viewer",
            "ClusterRoleBinding/apikey-operator-authenticator",
            "ClusterRoleBinding/apikey-operator-manager",
            "ClusterRoleBinding/apikey-operator-review",
            "ClusterRoleBinding/apikey-operator-webhook-injector",
            "CustomResourceDefinition/apikeyrotations.apikeyoperator.io",
            "CustomResourceDefinition/apikeys.apikeyoperator.io",
            "Deployment/apikey-operator",
            "Deployment/apikey-operator-review",
            "MutatingWebhookConfiguration/apikey-operator",
            "Namespace/apikey-operator-system",
            "PodDisruptionBudget/apikey-operator",
            "PodDisruptionBudget/apikey-operator-review",
            "Role/apikey-operator-ca-reader",
            "Role/apikey-operator-certificates",
            "Role/apikey-operator-leader-election",
            "RoleBinding/apikey-operator-ca-reader",
            "RoleBinding/apikey-operator-certificates",
            "RoleBinding/apikey-operator-leader-election",
            "Service/apikey-operator-metrics",
            "Service/apikey-operator-review",
            "Service/apikey-operator-review-metrics",
            "Service/apikey-operator-webhook",
            "ServiceAccount/apikey-operator",
            "ServiceAccount/apikey-operator-review",
            "ValidatingWebhookConfiguration/apikey-operator",
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
        Assert.Contains("--components=controllers", args);
        Assert.Contains("--leader-elect", args);
        Assert.Contains("--metrics-bind-address=:8080", args);
        Assert.Contains("--health-probe-bind-address=:8081", args);
        Assert.Contains($"--ledger-path={LedgerDirectory}/ledger.db", args);
        // HTTPS and caller checks are the defaults; nothing turns them off.
        Assert.DoesNotContain(args, a => a.StartsWith("--metrics-secure", StringComparison.Ordinal) || a.StartsWith("--review-insecure-http", StringComparison.Ordinal));

        var ports = manager.Maps("ports").ToDictionary(p => p.Str("name")!, p => p.Str("containerPort"));
        Assert.Equal(new Dictionary<string, string?> { ["metrics"] = "8080", ["health"] = "8081", ["webhook"] = "9443" }, ports);
        Assert.Contains("--webhook-bind-address=:9443", args);
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
    public async Task The_review_endpoint_runs_apart_serving_TLS_from_the_mounted_serving_certificate()
    {
        var manifests = await Kustomize.RenderDefaultAsync(TestContext.Current.CancellationToken);

        var review = YamlNodes.Find(manifests, "Deployment", "apikey-operator-review");
        var pod = PodSpec(review);
        var container = Assert.Single(pod.Maps("containers"));
        var args = container.Strings("args");
        Assert.Equal(OperatorPermissions.ReviewServiceAccount, pod.Str("serviceAccountName"));
        Assert.Contains("--components=review", args);
        Assert.Contains("--review-bind-address=:8443", args);
        Assert.Contains("--cert-dir=/etc/apikey-operator/tls", args);
        Assert.DoesNotContain(args, a => a.StartsWith("--review-insecure-http", StringComparison.Ordinal) || a.StartsWith("--review-auth=none", StringComparison.Ordinal));
        var mount = Assert.Single(container.Maps("volumeMounts"), m => m.Str("mountPath") == "/etc/apikey-operator/tls");
        var secret = Assert.Single(pod.Maps("volumes"), v => v.Str("name") == mount.Str("name")).Map("secret")!;
        Assert.Equal("apikey-operator-serving-cert", secret.Str("secretName"));
        Assert.Equal("true", secret.Str("optional"));
        // Only the certificate and its key: the bundle is public anyway, the CA key is in another Secret.
        Assert.Equal(["tls.crt", "tls.key"], secret.Maps("items").Select(i => i.Str("key")));
        AssertProbe(container.Map("readinessProbe"), "/readyz", container.Maps("ports").ToDictionary(p => p.Str("name")!, p => p.Str("containerPort")));
    }

    [Fact]
    public async Task ServicesReachTheirPodsOnMetricsAndReviewPorts()
    {
        var manifests = await Kustomize.RenderDefaultAsync(TestContext.Current.CancellationToken);

        foreach (var (service, deployment, port) in new[]
        {
            ("apikey-operator-metrics", "apikey-operator", "8080"),
            ("apikey-operator-review", "apikey-operator-review", "8443"),
            ("apikey-operator-review-metrics", "apikey-operator-review", "8080"),
        })
        {
            var podLabels = YamlNodes.Find(manifests, "Deployment", deployment).Map("spec")!.Map("template")!.Map("metadata")!.Map("labels")!;
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
