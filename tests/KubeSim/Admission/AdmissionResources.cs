namespace KubeSim;

/// <summary>admissionregistration.k8s.io/v1: the webhook configurations KubeSim serves and calls.</summary>
internal static class AdmissionResources
{
    public const string Group = "admissionregistration.k8s.io";

    public static readonly ResourceDefinition Mutating =
        new(Group, "v1", "mutatingwebhookconfigurations", "mutatingwebhookconfiguration", "MutatingWebhookConfiguration", false, false, [], ["api-extensions"]);

    public static readonly ResourceDefinition Validating =
        new(Group, "v1", "validatingwebhookconfigurations", "validatingwebhookconfiguration", "ValidatingWebhookConfiguration", false, false, [], ["api-extensions"]);

    public static IReadOnlyList<ResourceDefinition> All { get; } = [Mutating, Validating];

    /// <summary>Webhook configurations are never sent to webhooks themselves, so a bad webhook can always be removed.</summary>
    public static bool IsExempt(ResourceDefinition definition) =>
        definition.Group == Group || AuthResources.IsReview(definition) || definition.IsAccessReview;
}
