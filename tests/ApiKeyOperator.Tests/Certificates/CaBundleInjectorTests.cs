using System.Text;
using ApiKeyOperator.Certificates;
using ApiKeyOperator.Tests.Runtime;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace ApiKeyOperator.Tests.Certificates;

/// <summary>
/// The injector against KubeSim. KubeSim does not serve admissionregistration.k8s.io yet; a CRD of that group and
/// kind stands in (same paths, JSON patch applied by the server), until it does.
/// </summary>
public sealed class CaBundleInjectorTests
{
    private const string Bundle = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Writes_the_bundle_into_every_webhook_of_labelled_configurations_only_once_and_leaves_the_rest_alone()
    {
        await using var env = await SimEnvironment.StartAsync();
        await ServeWebhookConfigurationsAsync(env.Client);
        await CreateAsync(env.Client, "ValidatingWebhookConfiguration", "validatingwebhookconfigurations", "ours", labelled: true, "apikeys.apikeyoperator.io", "rotations.apikeyoperator.io");
        await CreateAsync(env.Client, "MutatingWebhookConfiguration", "mutatingwebhookconfigurations", "ours-mutating", labelled: true, "defaults.apikeyoperator.io");
        await CreateAsync(env.Client, "ValidatingWebhookConfiguration", "validatingwebhookconfigurations", "someone-elses", labelled: false, "other.example.com");
        var injector = new CaBundleInjector(env.Client, NullLogger<CaBundleInjector>.Instance);

        Assert.Equal(2, await injector.InjectAsync(Bundle, Ct));
        Assert.Equal(0, await injector.InjectAsync(Bundle, Ct));

        var ours = await env.Client.AdmissionregistrationV1.ReadValidatingWebhookConfigurationAsync("ours", cancellationToken: Ct);
        Assert.All(ours.Webhooks, w => Assert.Equal(Bundle, Encoding.UTF8.GetString(w.ClientConfig.CaBundle)));
        var mutating = await env.Client.AdmissionregistrationV1.ReadMutatingWebhookConfigurationAsync("ours-mutating", cancellationToken: Ct);
        Assert.Equal(Bundle, Encoding.UTF8.GetString(Assert.Single(mutating.Webhooks).ClientConfig.CaBundle));
        var theirs = await env.Client.AdmissionregistrationV1.ReadValidatingWebhookConfigurationAsync("someone-elses", cancellationToken: Ct);
        Assert.Null(Assert.Single(theirs.Webhooks).ClientConfig.CaBundle);

        // A rotated bundle (a successor CA published) reaches them on the next round.
        Assert.Equal(2, await injector.InjectAsync(Bundle + Bundle, Ct));
    }

    [Fact]
    public void A_configuration_edited_meanwhile_is_left_for_the_next_round()
    {
        var patch = CaBundleInjector.Patch([("a.apikeyoperator.io", null), ("b.apikeyoperator.io", Encoding.UTF8.GetBytes(Bundle))], Encoding.UTF8.GetBytes(Bundle));

        // Only the webhook without the bundle, guarded by a test of its name at its index.
        Assert.Equal(
            """[{"op":"test","path":"/webhooks/0/name","value":"a.apikeyoperator.io"},{"op":"add","path":"/webhooks/0/clientConfig/caBundle","value":"LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUIKLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo="}]""",
            patch);
    }

    private static async Task ServeWebhookConfigurationsAsync(IKubernetes client)
    {
        foreach (var (kind, plural) in new[] { ("ValidatingWebhookConfiguration", "validatingwebhookconfigurations"), ("MutatingWebhookConfiguration", "mutatingwebhookconfigurations") })
        {
            try
            {
                await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(new V1CustomResourceDefinition
                {
                    Metadata = new V1ObjectMeta { Name = $"{plural}.admissionregistration.k8s.io" },
                    Spec = new V1CustomResourceDefinitionSpec
                    {
                        Group = "admissionregistration.k8s.io",
                        Scope = "Cluster",
                        Names = new V1CustomResourceDefinitionNames { Plural = plural, Kind = kind, Singular = kind.ToLowerInvariant() },
                        Versions = [new V1CustomResourceDefinitionVersion
                        {
                            Name = "v1", Served = true, Storage = true,
                            Schema = new V1CustomResourceValidation { OpenAPIV3Schema = new V1JSONSchemaProps { Type = "object", XKubernetesPreserveUnknownFields = true } },
                        }],
                    },
                }, cancellationToken: Ct);
            }
            catch (HttpOperationException)
            {
                // The server serves the kind itself (or refuses a CRD in its group): use what it serves.
            }
        }

        await Poll.UntilAsync(
            async () =>
            {
                try
                {
                    await client.AdmissionregistrationV1.ListValidatingWebhookConfigurationAsync(cancellationToken: Ct);
                    await client.AdmissionregistrationV1.ListMutatingWebhookConfigurationAsync(cancellationToken: Ct);
                    return true;
                }
                catch (HttpOperationException)
                {
                    return false;
                }
            },
            what: "webhook configurations served");
    }

    private static Task CreateAsync(IKubernetes client, string kind, string plural, string name, bool labelled, params string[] webhooks) =>
        client.CustomObjects.CreateClusterCustomObjectAsync(new Dictionary<string, object>
        {
            ["apiVersion"] = "admissionregistration.k8s.io/v1",
            ["kind"] = kind,
            ["metadata"] = new Dictionary<string, object>
            {
                ["name"] = name,
                ["labels"] = labelled ? new Dictionary<string, string> { [CertificateNames.InjectLabel] = "true" } : new Dictionary<string, string>(),
            },
            ["webhooks"] = webhooks.Select(w => new Dictionary<string, object>
            {
                ["name"] = w,
                ["admissionReviewVersions"] = new[] { "v1" },
                ["sideEffects"] = "None",
                ["clientConfig"] = new Dictionary<string, object> { ["url"] = "https://127.0.0.1:9443/validate" },
            }).ToArray(),
        }, "admissionregistration.k8s.io", "v1", plural, cancellationToken: Ct);
}
