using ApiKeyOperator.Admission;
using ApiKeyOperator.IntegrationTests.Harness;
using ApiKeyOperator.IntegrationTests.Operator;
using ApiKeyOperator.Tests.Install;
using k8s;
using KubeSim;
using Microsoft.Extensions.DependencyInjection;

namespace ApiKeyOperator.IntegrationTests.Identity;

/// <summary>
/// An in-process operator standing in for the installed one behind config/webhook: it serves the webhook on
/// loopback, the Service apikey-operator-webhook is mapped to it (KubeSim has no pod network), and it injects its
/// CA bundle into the shipped configurations as the leader does in a cluster.
/// </summary>
public static class ShippedWebhook
{
    /// <summary>The flags of the installed controllers' webhook, for a test operator.</summary>
    public static string[] Args(string certNamespace) =>
    [
        "--cert-namespace", certNamespace,
        "--cert-refresh-interval", "200ms",
        "--webhook-bind-address", "127.0.0.1:0",
        "--webhook-self-register=false",
        "--operator-username", OperatorIdentities.Operator,
    ];

    /// <summary>Maps the Service to <paramref name="running"/>'s webhook and waits until the configurations trust it.</summary>
    public static async Task ServeAsync(RunningOperator running, KubeSimServer sim, IKubernetes client, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var url = await running.Host.Services.GetRequiredService<WebhookServer>().Started.WaitAsync(timeout, cancellationToken);
        sim.Admission.MapService(OperatorPermissions.OperatorNamespace, WebhookPaths.ServiceName, url);
        await Eventually.WaitAsync(
            async ct =>
            {
                var mutating = await client.AdmissionregistrationV1.ReadMutatingWebhookConfigurationAsync("apikey-operator", cancellationToken: ct);
                var validating = await client.AdmissionregistrationV1.ReadValidatingWebhookConfigurationAsync("apikey-operator", cancellationToken: ct);
                return mutating.Webhooks.All(w => w.ClientConfig.CaBundle is { Length: > 0 })
                    && validating.Webhooks.All(w => w.ClientConfig.CaBundle is { Length: > 0 });
            },
            timeout, "the CA bundle injected into the webhook configurations", cancellationToken);
    }
}
