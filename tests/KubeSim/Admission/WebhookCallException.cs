namespace KubeSim;

/// <summary>A webhook could not be called or answered nonsense (what failurePolicy decides about).</summary>
internal sealed class WebhookCallException(string webhook, string reason) : Exception($"failed calling webhook \"{webhook}\": {reason}")
{
    public string Webhook { get; } = webhook;
}
