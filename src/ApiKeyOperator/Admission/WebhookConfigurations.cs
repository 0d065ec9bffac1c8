using ApiKeyOperator.Api;
using k8s.Models;

namespace ApiKeyOperator.Admission;

/// <summary>
/// The Mutating and ValidatingWebhookConfiguration of the webhook, the same rules and failure policies as the
/// shipped config/webhook/manifests.yaml, for a given client config (a URL for self-registration). Failure
/// policies: creates and updates <c>Fail</c> (without the operator there is no requester record, and an ApiKey or
/// rotation cannot proceed anyway); deletes <c>Ignore</c> (a deletion — a namespace's, or after uninstalling — is
/// never blocked; it is then recorded as by "unknown").
/// </summary>
public static class WebhookConfigurations
{
    /// <summary>Label on configurations the operator registered for itself (cleaned up on exit and on the next start).</summary>
    public const string SelfRegisteredLabel = "apikeyoperator.io/self-registered";

    private const string NamespaceNameLabel = "kubernetes.io/metadata.name";

    public static V1MutatingWebhookConfiguration Mutating(string name, Func<string, Admissionregistrationv1WebhookClientConfig> client, IReadOnlyList<string> namespaces) => new()
    {
        ApiVersion = "admissionregistration.k8s.io/v1",
        Kind = "MutatingWebhookConfiguration",
        Metadata = Metadata(name),
        Webhooks =
        [
            new V1MutatingWebhook
            {
                Name = WebhookPaths.MutatingWebhook,
                ClientConfig = client(WebhookPaths.Mutate),
                Rules = [Rule(["CREATE", "UPDATE"], [ApiKey.KubePlural, ApiKeyRotation.KubePlural])],
                FailurePolicy = "Fail",
                SideEffects = "None",
                AdmissionReviewVersions = ["v1"],
                TimeoutSeconds = 10,
                ReinvocationPolicy = "Never",
                NamespaceSelector = Selector(namespaces),
            },
        ],
    };

    public static V1ValidatingWebhookConfiguration Validating(string name, Func<string, Admissionregistrationv1WebhookClientConfig> client, IReadOnlyList<string> namespaces) => new()
    {
        ApiVersion = "admissionregistration.k8s.io/v1",
        Kind = "ValidatingWebhookConfiguration",
        Metadata = Metadata(name),
        Webhooks =
        [
            new V1ValidatingWebhook
            {
                Name = WebhookPaths.ValidatingWebhook,
                ClientConfig = client(WebhookPaths.Validate),
                Rules = [Rule(["CREATE", "UPDATE"], [ApiKey.KubePlural, ApiKeyRotation.KubePlural])],
                FailurePolicy = "Fail",
                SideEffects = "None",
                AdmissionReviewVersions = ["v1"],
                TimeoutSeconds = 10,
                NamespaceSelector = Selector(namespaces),
            },
            new V1ValidatingWebhook
            {
                Name = WebhookPaths.DeletionWebhook,
                ClientConfig = client(WebhookPaths.Validate),
                Rules = [Rule(["DELETE"], [ApiKey.KubePlural])],
                FailurePolicy = "Ignore",
                SideEffects = "NoneOnDryRun",
                AdmissionReviewVersions = ["v1"],
                TimeoutSeconds = 5,
                NamespaceSelector = Selector(namespaces),
            },
        ],
    };

    /// <summary>A client config calling <paramref name="baseUrl"/> and trusting <paramref name="caBundlePem"/>.</summary>
    public static Func<string, Admissionregistrationv1WebhookClientConfig> Url(Uri baseUrl, string caBundlePem) => path => new()
    {
        Url = new Uri(baseUrl, path).ToString(),
        CaBundle = System.Text.Encoding.UTF8.GetBytes(caBundlePem),
    };

    private static V1ObjectMeta Metadata(string name) => new()
    {
        Name = name,
        Labels = new Dictionary<string, string> { ["app.kubernetes.io/name"] = "apikey-operator", [SelfRegisteredLabel] = "true" },
    };

    private static V1RuleWithOperations Rule(IList<string> operations, IList<string> resources) => new()
    {
        ApiGroups = [ApiGroup.Name],
        ApiVersions = [ApiGroup.Version],
        Resources = resources,
        Operations = operations,
        Scope = "Namespaced",
    };

    // Only the watched namespaces: another operator (or test) may serve the rest.
    private static V1LabelSelector? Selector(IReadOnlyList<string> namespaces) => namespaces.Count == 0
        ? null
        : new V1LabelSelector { MatchExpressions = [new V1LabelSelectorRequirement { Key = NamespaceNameLabel, OperatorProperty = "In", Values = [.. namespaces] }] };
}
