using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace ApiKeyOperator.Certificates;

/// <summary>
/// Writes the operator's trust bundle into <c>clientConfig.caBundle</c> of every webhook of the Mutating and
/// Validating WebhookConfigurations labelled <c>apikeyoperator.io/inject-ca-bundle: "true"</c> (cert-manager's
/// cainjector for self-managed certificates). A JSON patch per configuration, guarded by a test of each
/// webhook's name so that a configuration edited meanwhile is left for the next round; webhooks already
/// carrying the bundle are not written.
/// </summary>
public sealed class CaBundleInjector(IKubernetes client, ILogger<CaBundleInjector> logger)
{
    public static string Selector => $"{CertificateNames.InjectLabel}=true";

    /// <summary>Injects <paramref name="bundlePem"/>; returns how many configurations were patched.</summary>
    /// <param name="serves">Which webhooks are this operator's (others sharing the label, e.g. another instance's, are left alone); null: all.</param>
    public async Task<int> InjectAsync(string bundlePem, CancellationToken cancellationToken, Func<Admissionregistrationv1WebhookClientConfig?, bool>? serves = null)
    {
        var bundle = Encoding.UTF8.GetBytes(bundlePem);
        bool Ours(Admissionregistrationv1WebhookClientConfig? config) => serves?.Invoke(config) ?? true;
        var patched = 0;
        var validating = await client.AdmissionregistrationV1.ListValidatingWebhookConfigurationAsync(labelSelector: Selector, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        foreach (var configuration in validating.Items)
        {
            if (Patch([.. (configuration.Webhooks ?? []).Select(w => (w.Name, Ours(w.ClientConfig) ? w.ClientConfig?.CaBundle : bundle))], bundle) is { } patch)
            {
                await client.AdmissionregistrationV1.PatchValidatingWebhookConfigurationAsync(
                    new V1Patch(patch, V1Patch.PatchType.JsonPatch), configuration.Metadata.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
                logger.LogInformation("Injected the CA bundle into ValidatingWebhookConfiguration {Name}", configuration.Metadata.Name);
                patched++;
            }
        }

        var mutating = await client.AdmissionregistrationV1.ListMutatingWebhookConfigurationAsync(labelSelector: Selector, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        foreach (var configuration in mutating.Items)
        {
            if (Patch([.. (configuration.Webhooks ?? []).Select(w => (w.Name, Ours(w.ClientConfig) ? w.ClientConfig?.CaBundle : bundle))], bundle) is { } patch)
            {
                await client.AdmissionregistrationV1.PatchMutatingWebhookConfigurationAsync(
                    new V1Patch(patch, V1Patch.PatchType.JsonPatch), configuration.Metadata.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
                logger.LogInformation("Injected the CA bundle into MutatingWebhookConfiguration {Name}", configuration.Metadata.Name);
                patched++;
            }
        }

        return patched;
    }

    /// <summary>The JSON patch setting every webhook's caBundle to <paramref name="bundle"/>, or null when all have it.</summary>
    internal static string? Patch(IReadOnlyList<(string Name, byte[]? CaBundle)> webhooks, byte[] bundle)
    {
        var operations = new JsonArray();
        for (var i = 0; i < webhooks.Count; i++)
        {
            if (webhooks[i].CaBundle is { } current && current.AsSpan().SequenceEqual(bundle))
            {
                continue;
            }

            operations.Add(new JsonObject { ["op"] = "test", ["path"] = $"/webhooks/{i}/name", ["value"] = webhooks[i].Name });
            operations.Add(new JsonObject { ["op"] = "add", ["path"] = $"/webhooks/{i}/clientConfig/caBundle", ["value"] = Convert.ToBase64String(bundle) });
        }

        return operations.Count == 0 ? null : operations.ToJsonString();
    }
}
