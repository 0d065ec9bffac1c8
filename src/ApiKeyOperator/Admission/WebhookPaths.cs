namespace ApiKeyOperator.Admission;

/// <summary>Where the webhook answers, and the names of its webhooks in the configurations.</summary>
public static class WebhookPaths
{
    public const string Mutate = "/mutate";
    public const string Validate = "/validate";

    public const string MutatingWebhook = "requester.apikeyoperator.io";
    public const string ValidatingWebhook = "validate.apikeyoperator.io";
    public const string DeletionWebhook = "deletion.apikeyoperator.io";

    /// <summary>The Service of the shipped install (config/webhook).</summary>
    public const string ServiceName = "apikey-operator-webhook";
}
