using System.Net;
using ApiKeyOperator.Admission;
using ApiKeyOperator.Api;
using ApiKeyOperator.Identity;
using ApiKeyOperator.IntegrationTests.Harness;
using ApiKeyOperator.IntegrationTests.Operator;
using ApiKeyOperator.Ledger;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace ApiKeyOperator.IntegrationTests.Identity;

/// <summary>
/// A local run (<c>apikey-operator run --webhook-bind-address 127.0.0.1:0</c>, what <c>make demo</c> does) serves the
/// webhook on loopback, registers URL-based configurations for its namespaces only, and removes them on a clean exit:
/// the same checks hold as in an install.
/// </summary>
public sealed class SelfRegistrationTests(ClusterFixture cluster) : OperatorTest(cluster)
{
    // Its own identity: a developer's run, not the install's ServiceAccount (whose requests are held against config/rbac).
    private const string LocalOperator = "system:serviceaccount:dev:apikey-operator-local";

    [Fact]
    public async Task A_loopback_run_registers_its_webhook_checks_requesters_and_unregisters_on_exit()
    {
        var name = $"apikey-operator-local-{Namespace}";
        var args = OperatorArgs("--webhook-bind-address", "127.0.0.1:0", "--webhook-configuration-name", name, "--operator-username", LocalOperator, "--cert-refresh-interval", "200ms");
        args[Array.IndexOf(args, "--kubeconfig") + 1] = KubeconfigFor(LocalOperator);
        var running = await StartOperatorAsync(args);
        var url = await running.Host.Services.GetRequiredService<WebhookServer>().Started.WaitAsync(Timeout, Ct);
        await Eventually.WaitAsync(_ => Task.FromResult(running.Host.Services.GetRequiredService<WebhookSelfRegistration>().Registered), Timeout, "the webhook registered", Ct);
        var mutating = await Client.AdmissionregistrationV1.ReadMutatingWebhookConfigurationAsync(name, cancellationToken: Ct);
        var validating = await Client.AdmissionregistrationV1.ReadValidatingWebhookConfigurationAsync(name, cancellationToken: Ct);

        var token = $"alice-{Guid.NewGuid():N}";
        Sim.Identities.Add(token, "alice", ["devs"], uid: "uid-alice");
        using var alice = new Kubernetes(new KubernetesClientConfiguration { Host = Sim.Url.ToString(), AccessToken = token });
        await alice.CustomObjects.CreateNamespacedCustomObjectAsync(
            new ApiKey { Metadata = new V1ObjectMeta { Name = "billing", NamespaceProperty = Namespace }, Spec = new ApiKeySpec { SecretName = "billing-key" } },
            ApiGroup.Name, ApiGroup.Version, Namespace, ApiKey.KubePlural, cancellationToken: Ct);
        var ready = await WaitForReadyAsync("billing");
        var issued = await Eventually.GetAsync(
            async _ => (await AuditRowsAsync("billing")).FirstOrDefault(r => r.Kind == AuditEventKinds.Issued), Timeout, "the Issued row", Ct);
        var forged = await Assert.ThrowsAsync<HttpOperationException>(() => alice.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch("""{"metadata":{"annotations":{"apikeyoperator.io/requester":"{}"}}}""", V1Patch.PatchType.MergePatch),
            ApiGroup.Name, ApiGroup.Version, Namespace, ApiKey.KubePlural, "billing", cancellationToken: Ct));

        Assert.StartsWith(new Uri(url, WebhookPaths.Mutate).ToString(), mutating.Webhooks.Single().ClientConfig.Url, StringComparison.Ordinal);
        Assert.Equal("https", new Uri(mutating.Webhooks.Single().ClientConfig.Url).Scheme);
        Assert.Equal([Namespace], mutating.Webhooks.Single().NamespaceSelector.MatchExpressions.Single().Values);
        Assert.Equal(["Fail", "Ignore"], validating.Webhooks.Select(w => w.FailurePolicy));
        Assert.Equal("alice", RequesterRecord.Read(ready.Metadata.Annotations)!.Username);
        Assert.Equal("alice", issued.Actor);
        Assert.Equal(HttpStatusCode.Forbidden, forged.Response.StatusCode);

        await running.StopAsync();

        var gone = await Assert.ThrowsAsync<HttpOperationException>(() => Client.AdmissionregistrationV1.ReadMutatingWebhookConfigurationAsync(name, cancellationToken: Ct));
        Assert.Equal(HttpStatusCode.NotFound, gone.Response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<HttpOperationException>(
            () => Client.AdmissionregistrationV1.ReadValidatingWebhookConfigurationAsync(name, cancellationToken: Ct))).Response.StatusCode);
        // Nothing is left to call: writes work without the operator.
        await CreateApiKeyAsync("after-exit");
    }

    [Fact]
    public async Task The_webhook_needs_to_know_the_operators_own_user()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => StartOperatorAsync(OperatorArgs("--webhook-bind-address", "127.0.0.1:0")));

        Assert.Contains("--operator-username", error.Message, StringComparison.Ordinal);
    }

    private async Task<IReadOnlyList<AuditEntry>> AuditRowsAsync(string apiKey)
    {
        using var ledger = new SqliteAuditLedger(new LedgerOptions { Path = LedgerPath }, TimeProvider.System, new LedgerHealth(), NullLogger<SqliteAuditLedger>.Instance);
        return (await ledger.QueryAsync(new AuditQuery { Namespace = Namespace, ApiKey = apiKey, Limit = AuditQuery.MaxLimit }, Ct)).Items;
    }
}
