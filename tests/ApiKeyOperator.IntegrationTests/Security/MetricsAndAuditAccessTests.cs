using System.Net;
using System.Text.Json.Nodes;
using ApiKeyOperator.IntegrationTests.Harness;
using ApiKeyOperator.IntegrationTests.Operator;
using k8s;
using k8s.Models;
using Xunit;

namespace ApiKeyOperator.IntegrationTests.Security;

/// <summary>/metrics and /audit as installed: HTTPS, TokenReview, and SubjectAccessReview against the shipped roles.</summary>
public sealed class MetricsAndAuditAccessTests(ClusterFixture cluster) : SecureOperatorTest(cluster)
{
    [Fact]
    public async Task Metrics_need_a_token_and_get_on_the_metrics_url_as_the_metrics_reader_role_grants()
    {
        var (readerToken, reader) = ServiceAccount("prometheus");
        var (strangerToken, _) = ServiceAccount("stranger");
        await BindClusterRoleAsync("metrics_reader_role.yaml", "apikey-operator-metrics-reader", reader.Username);
        var running = await StartOperatorAsync(SecureArgs());
        var bundle = await PublishedBundleAsync();

        var anonymous = await Trusting(bundle, running.MetricsUrl!).GetAsync("metrics", Ct);
        var stranger = await Trusting(bundle, running.MetricsUrl!, strangerToken).GetAsync("metrics", Ct);
        var prometheus = await Trusting(bundle, running.MetricsUrl!, readerToken).GetAsync("metrics", Ct);

        Assert.Equal("https", running.MetricsUrl!.Scheme);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Bearer", anonymous.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(HttpStatusCode.Forbidden, stranger.StatusCode);
        Assert.Contains("cannot get path \"/metrics\"", await MessageAsync(stranger), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, prometheus.StatusCode);
        Assert.Contains("controller_runtime_reconcile_total", await prometheus.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.DoesNotContain(readerToken, Logs.Text, StringComparison.Ordinal);
        // The health probes stay open to the kubelet.
        Assert.Equal(HttpStatusCode.OK, (await new HttpClient().GetAsync(new Uri(running.HealthUrl!, "healthz"), Ct)).StatusCode);
    }

    [Fact]
    public async Task Audit_shows_a_tenant_only_the_namespaces_it_may_read_and_refuses_the_rest()
    {
        var other = Namespace + "-other";
        await Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = other } }, cancellationToken: Ct);
        try
        {
            var (tenantToken, tenant) = ServiceAccount("team-auditor");
            var (strangerToken, _) = ServiceAccount("stranger");
            await BindClusterRoleAsync("audit_reader_role.yaml", "apikey-operator-audit-reader", tenant.Username, inNamespace: Namespace);
            var args = SecureArgs();
            args[Array.IndexOf(args, "--namespace") + 1] = $"{Namespace},{other}";
            var running = await StartOperatorAsync(args);
            await CreateApiKeyAsync("billing");
            await Resources<ApiKeyOperator.Api.ApiKey>().CreateAsync(new ApiKeyOperator.Api.ApiKey
            {
                Metadata = new V1ObjectMeta { Name = "elsewhere", NamespaceProperty = other },
                Spec = new ApiKeyOperator.Api.ApiKeySpec { SecretName = "elsewhere-key" },
            }, Ct);
            await WaitForReadyAsync("billing");
            var bundle = await PublishedBundleAsync();
            var auditor = Trusting(bundle, running.MetricsUrl!, tenantToken);

            var page = await Eventually.GetAsync(
                async ct => JsonNode.Parse(await (await auditor.GetAsync("audit", ct)).Content.ReadAsStringAsync(ct)) is { } body
                    && body["items"] is JsonArray { Count: > 0 } ? body : null,
                Timeout, "audit rows for the tenant", Ct);
            var elsewhere = await auditor.GetAsync($"audit?namespace={other}", Ct);
            var anonymous = await Trusting(bundle, running.MetricsUrl!).GetAsync("audit", Ct);
            var stranger = await Trusting(bundle, running.MetricsUrl!, strangerToken).GetAsync("audit", Ct);

            Assert.All(page["items"]!.AsArray(), row => Assert.Equal(Namespace, (string?)row!["namespace"]));
            Assert.Equal(HttpStatusCode.Forbidden, elsewhere.StatusCode);
            Assert.Contains($"in the namespace \"{other}\"", await MessageAsync(elsewhere), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, stranger.StatusCode);
            // The other namespace does have rows: the tenant is kept from them, not shown an empty trail.
            await Eventually.WaitAsync(
                async ct => (await Resources<ApiKeyOperator.Api.ApiKey>().GetAsync(new Runtime.ObjectKey(other, "elsewhere"), ct))?.Status?.CurrentKeyId is not null,
                Timeout, "the other namespace's key issued", Ct);
        }
        finally
        {
            await Client.CoreV1.DeleteNamespaceAsync(other, cancellationToken: CancellationToken.None);
        }
    }

    private static async Task<string?> MessageAsync(HttpResponseMessage response) =>
        (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["message"];
}
