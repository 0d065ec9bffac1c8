using System.Net;
using System.Text;
using ApiKeyOperator.Api;
using ApiKeyOperator.Certificates;
using ApiKeyOperator.IntegrationTests.Harness;
using ApiKeyOperator.IntegrationTests.Operator;
using ApiKeyOperator.IntegrationTests.Security;
using ApiKeyOperator.Tests.Install;
using ApiKeyOperator.Verification;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Xunit;

namespace ApiKeyOperator.IntegrationTests.Install;

/// <summary>
/// config/default on a KubeSim that enforces RBAC: the controllers and the review endpoint run as the two
/// Deployments do, each as its own ServiceAccount with only the install's roles, and the review endpoint, which
/// every provider talks to, never touches a Secret.
/// </summary>
public sealed class SplitInstallTests(RbacEnforcingSimFixture cluster) : SecureOperatorTest(cluster), IClassFixture<RbacEnforcingSimFixture>
{
    private readonly string _workDir = Directory.CreateTempSubdirectory("split-install-").FullName;

    [Fact]
    public async Task Controllers_and_review_endpoint_work_with_only_their_own_roles_and_the_review_endpoint_cannot_read_Secrets()
    {
        var manifests = await Kustomize.RenderDefaultAsync(Ct);
        await InstalledRbac.ApplyAsync(Client, manifests, Ct);
        // A pod reads its namespace from its ServiceAccount mount; here the flags say it.
        var inPod = new Dictionary<string, string>();
        var controllersArgs = InstalledRbac.Local(InstalledRbac.Args(manifests, "apikey-operator"), _workDir, OperatorKubeconfigPath, inPod)
            .Concat(["--leader-election-namespace", OperatorPermissions.OperatorNamespace, "--cert-namespace", OperatorPermissions.OperatorNamespace]).ToArray();
        var logStart = Sim.Requests.Snapshot().Count;
        await StartOperatorAsync(controllersArgs);

        // The kubelet's part: the serving Secret the controllers wrote, mounted into the review pod.
        var serving = await Eventually.GetAsync(
            ct => Resources<V1Secret>().GetAsync(new Runtime.ObjectKey(OperatorPermissions.OperatorNamespace, CertificateNames.ServingSecret), ct),
            Timeout, "the serving certificate Secret", Ct);
        Directory.CreateDirectory(Path.Combine(_workDir, "tls"));
        foreach (var file in new[] { CertificateNames.TlsCertKey, CertificateNames.TlsKeyKey })
        {
            await File.WriteAllBytesAsync(Path.Combine(_workDir, "tls", file), serving.Data[file], Ct);
        }

        var reviewArgs = InstalledRbac.Local(InstalledRbac.Args(manifests, "apikey-operator-review"), _workDir, KubeconfigFor(OperatorIdentities.Review));
        var review = await StartOperatorAsync(reviewArgs);
        Assert.Null(review.Host.Services.GetService(typeof(Controllers.ApiKeys.ApiKeyReconciler)));
        await CreateApiKeyAsync("billing");
        await WaitForReadyAsync("billing");
        var key = Encoding.UTF8.GetString((await Resources<V1Secret>().GetAsync(Key("billing-key"), Ct))!.Data[SecretDataKeys.ApiKey]);

        var (token, provider) = ServiceAccount("gateway");
        Sim.Auth.Allow(provider.Username, "create", ApiKeyReview.GroupName, ApiKeyReview.ResourcePlural, Namespace);
        var bundle = await PublishedBundleAsync(OperatorPermissions.OperatorNamespace);
        var client = Trusting(bundle, review.ReviewUrl!, token);
        var answer = await Eventually.GetAsync(
            async ct => await client.ReviewAsync(key, ct) is { Code: 201 } a ? a.Body : null, Timeout, "a review from the review Deployment", Ct);
        Assert.Contains("\"reason\":\"Valid\"", answer, StringComparison.Ordinal);
        // The review endpoint records the use into ApiKey status itself.
        await WaitForAsync<ApiKey>("billing", k => k.Status?.LastUsedAt is not null, "lastUsedAt written by the review endpoint");

        var log = Sim.Requests.Snapshot().Skip(logStart).ToList();
        var byReview = log.Where(r => r.User == OperatorIdentities.Review).ToList();
        var byControllers = log.Where(r => r.User == OperatorIdentities.Operator).ToList();
        Assert.NotEmpty(byReview);
        Assert.DoesNotContain(byReview, r => r.Resource == "secrets");
        Assert.Empty(byReview.Concat(byControllers).Where(r => r.StatusCode == 403).Select(r => $"{r.User}: {r.Verb} {r.Path}"));
        Assert.Contains(byReview, r => r.Resource == "apikeys" && r.Subresource == "status");
        using var asReview = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(KubeconfigFor(OperatorIdentities.Review)));
        var refused = await Assert.ThrowsAsync<HttpOperationException>(() => asReview.CoreV1.ReadNamespacedSecretAsync("billing-key", Namespace, cancellationToken: Ct));
        Assert.Equal(HttpStatusCode.Forbidden, refused.Response.StatusCode);
        var caKey = await Assert.ThrowsAsync<HttpOperationException>(
            () => asReview.CoreV1.ReadNamespacedSecretAsync(CertificateNames.CaSecret, OperatorPermissions.OperatorNamespace, cancellationToken: Ct));
        Assert.Equal(HttpStatusCode.Forbidden, caKey.Response.StatusCode);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_workDir, recursive: true);
    }
}
