using Xunit;
using YamlDotNet.RepresentationModel;

namespace ApiKeyOperator.Tests.Install;

/// <summary>What the install overlays change: config/overlays/namespaced and config/certmanager.</summary>
public sealed class OverlayManifestTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Namespaced_install_binds_the_operator_roles_only_in_the_listed_namespaces()
    {
        var manifests = await Kustomize.RenderAsync("overlays/namespaced", Ct);

        var clusterBound = manifests.Where(m => m.Kind() == "ClusterRoleBinding").Select(b => b.Map("roleRef")!.Str("name")).ToList();
        // Webhook configurations are cluster-scoped: the CA injector's binding is too (it grants no Secrets, below).
        Assert.Equal([OperatorPermissions.AuthenticatorClusterRole, "apikey-operator-webhook-injector"], clusterBound);
        var perNamespace = manifests.Where(m => m.Kind() == "RoleBinding" && m.Map("roleRef")!.Str("kind") == "ClusterRole")
            .Select(b => $"{b.Namespace()}/{b.Map("roleRef")!.Str("name")}").Order(StringComparer.Ordinal);
        Assert.Equal(["team-a/apikey-operator-manager", "team-a/apikey-operator-review", "team-b/apikey-operator-manager", "team-b/apikey-operator-review"], perNamespace);

        // No ClusterRole bound cluster-wide grants anything on Secrets.
        foreach (var role in manifests.Where(m => m.Kind() == "ClusterRole" && clusterBound.Contains(m.Name())))
        {
            Assert.DoesNotContain(RbacRules.Grants(role), g => g.Resource == "secrets");
        }

        var manager = Args(manifests, "apikey-operator");
        Assert.Contains("--namespace=team-a,team-b", manager);
        Assert.Contains("--leader-election-namespace=apikey-operator-system", manager);
        Assert.Contains("--cert-namespace=apikey-operator-system", manager);
        Assert.Contains("--namespace=team-a,team-b", Args(manifests, "apikey-operator-review"));

        // The operator's own certificate Secrets, by name, in its own namespace only.
        var certificates = YamlNodes.Find(manifests, "Role", OperatorPermissions.CertificatesRole);
        Assert.Equal(OperatorPermissions.OperatorNamespace, certificates.Namespace());
        var secretRules = certificates.Maps("rules").Where(r => r.Strings("resources").Contains("secrets")).ToList();
        Assert.Equal(["create"], secretRules.Single(r => r.Strings("resourceNames").Count == 0).Strings("verbs"));
        Assert.Equal(
            ["apikey-operator-ca", "apikey-operator-serving-cert", "apikey-operator-requester-key"],
            secretRules.Where(r => r.Strings("resourceNames").Count > 0).SelectMany(r => r.Strings("resourceNames")));
    }

    [Fact]
    public async Task Cert_manager_install_issues_the_serving_certificate_and_both_deployments_serve_it_from_the_mount()
    {
        var manifests = await Kustomize.RenderAsync("certmanager", Ct);

        var certificate = YamlNodes.Find(manifests, "Certificate", "apikey-operator-serving-cert").Map("spec")!;
        Assert.Equal("apikey-operator-serving-cert", certificate.Str("secretName"));
        Assert.Equal("apikey-operator-ca", certificate.Map("issuerRef")!.Str("name"));
        foreach (var service in new[] { "apikey-operator-review", "apikey-operator-metrics", "apikey-operator-review-metrics", "apikey-operator-webhook" })
        {
            Assert.Contains($"{service}.apikey-operator-system.svc", certificate.Strings("dnsNames"));
        }

        Assert.NotNull(YamlNodes.Find(manifests, "Issuer", "apikey-operator-ca").Map("spec")!.Map("ca"));
        foreach (var deployment in new[] { "apikey-operator", "apikey-operator-review" })
        {
            Assert.Contains("--cert-dir=/etc/apikey-operator/tls", Args(manifests, deployment));
            var pod = YamlNodes.Find(manifests, "Deployment", deployment).Map("spec")!.Map("template")!.Map("spec")!;
            Assert.Contains(pod.Maps("volumes"), v => v.Map("secret")?.Str("secretName") == "apikey-operator-serving-cert");
        }

        // Nothing writes the CA ConfigMap, so nothing may.
        Assert.DoesNotContain(manifests, m => m.Name() is OperatorPermissions.CertificatesRole or "apikey-operator-ca-reader");
    }

    [Fact]
    public async Task Cert_manager_install_asks_its_cainjector_for_the_webhook_configurations_the_operator_labels()
    {
        var kubectl = ProcessRunner.FindOnPath("kubectl") ?? throw SkipException("kubectl is not on PATH");
        var directory = Directory.CreateTempSubdirectory("certmanager-overlay-");
        try
        {
            // A stand-in for the webhook configuration the admission webhook will ship, on top of the overlay.
            await File.WriteAllTextAsync(Path.Combine(directory.FullName, "webhook.yaml"), """
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingWebhookConfiguration
                metadata:
                  name: apikey-operator
                  labels: {apikeyoperator.io/inject-ca-bundle: "true"}
                webhooks: []
                """, Ct);
            await File.WriteAllTextAsync(Path.Combine(directory.FullName, "kustomization.yaml"), $"""
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                - webhook.yaml
                patches:
                - target:
                    kind: ValidatingWebhookConfiguration|MutatingWebhookConfiguration
                    labelSelector: apikeyoperator.io/inject-ca-bundle=true
                  path: {Path.GetRelativePath(directory.FullName, RepoPaths.Combine("config", "certmanager", "inject-ca-from.yaml"))}
                """, Ct);
            var result = await ProcessRunner.RunAsync(kubectl, ["kustomize", "--load-restrictor", "LoadRestrictionsNone", directory.FullName], RepoPaths.Root, TimeSpan.FromSeconds(30), Ct);
            Assert.True(result.ExitCode == 0, result.Describe());

            var webhook = YamlNodes.LoadDocuments(new StringReader(result.StandardOutput)).Single();
            Assert.Equal("apikey-operator-system/apikey-operator-serving-cert", webhook.Map("metadata")!.Map("annotations")!.Str("cert-manager.io/inject-ca-from"));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static IReadOnlyList<string> Args(IReadOnlyList<YamlMappingNode> manifests, string deployment) =>
        Assert.Single(YamlNodes.Find(manifests, "Deployment", deployment).Map("spec")!.Map("template")!.Map("spec")!.Maps("containers")).Strings("args");

    private static Exception SkipException(string reason)
    {
        Assert.Skip(reason);
        return new InvalidOperationException(reason);
    }
}
