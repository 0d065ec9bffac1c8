using ApiKeyOperator.Certificates;
using ApiKeyOperator.Hosting;
using ApiKeyOperator.Runtime;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ApiKeyOperator.Admission;

/// <summary>
/// For local runs (<c>apikey-operator run --webhook-bind-address 127.0.0.1:0</c>): registers URL-based webhook
/// configurations pointing at this process, trusting the operator's own CA, for the watched namespaces (all when
/// none are given); registers again when the CA bundle changes, and deletes them on a clean exit. A crashed run
/// leaves them behind; the next run with the same <c>--webhook-configuration-name</c> replaces them.
/// </summary>
public sealed class WebhookSelfRegistration(
    string name,
    IReadOnlyList<string> namespaces,
    WebhookServer server,
    ManagedServingCertificate serving,
    IKubernetes client,
    TimeProvider time,
    ILogger<WebhookSelfRegistration> logger) : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(1);
    private volatile bool _registered;

    /// <summary>True once both configurations are in place with the current bundle.</summary>
    public bool Registered => _registered;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var url = await server.Started.WaitAsync(stoppingToken).ConfigureAwait(false);
        string? registeredBundle = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            if (serving.Bundle is { } bundle && bundle != registeredBundle)
            {
                try
                {
                    await RegisterAsync(url, bundle, stoppingToken).ConfigureAwait(false);
                    registeredBundle = bundle;
                    _registered = true;
                    logger.LogInformation("Registered webhook configurations {Name} for {Url} ({Scope})", name, url,
                        namespaces.Count == 0 ? "all namespaces" : "namespaces " + string.Join(",", namespaces));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning("The webhook configurations {Name} could not be registered: {Error}", name, e.Message);
                    await Task.Delay(Retry, time, stoppingToken).ConfigureAwait(false);
                    continue;
                }
            }

            await Task.Delay(Poll, time, stoppingToken).ConfigureAwait(false);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        foreach (var delete in new Func<Task>[]
        {
            () => client.AdmissionregistrationV1.DeleteMutatingWebhookConfigurationAsync(name, cancellationToken: cancellationToken),
            () => client.AdmissionregistrationV1.DeleteValidatingWebhookConfigurationAsync(name, cancellationToken: cancellationToken),
        })
        {
            try
            {
                await delete().ConfigureAwait(false);
            }
            catch (Exception e) when (ApiErrors.IsNotFound(e))
            {
                // Never registered, or removed by hand.
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("The webhook configuration {Name} could not be removed: {Error}", name, e.Message);
            }
        }

        _registered = false;
        logger.LogInformation("Removed webhook configurations {Name}", name);
    }

    private async Task RegisterAsync(Uri url, string bundle, CancellationToken cancellationToken)
    {
        var clientConfig = WebhookConfigurations.Url(url, bundle);
        var mutating = WebhookConfigurations.Mutating(name, clientConfig, namespaces);
        var validating = WebhookConfigurations.Validating(name, clientConfig, namespaces);
        var api = client.AdmissionregistrationV1;
        try
        {
            await api.CreateMutatingWebhookConfigurationAsync(mutating, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (ApiErrors.IsAlreadyExists(e))
        {
            var existing = await api.ReadMutatingWebhookConfigurationAsync(name, cancellationToken: cancellationToken).ConfigureAwait(false);
            mutating.Metadata.ResourceVersion = existing.Metadata.ResourceVersion;
            await api.ReplaceMutatingWebhookConfigurationAsync(mutating, name, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        try
        {
            await api.CreateValidatingWebhookConfigurationAsync(validating, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (ApiErrors.IsAlreadyExists(e))
        {
            var existing = await api.ReadValidatingWebhookConfigurationAsync(name, cancellationToken: cancellationToken).ConfigureAwait(false);
            validating.Metadata.ResourceVersion = existing.Metadata.ResourceVersion;
            await api.ReplaceValidatingWebhookConfigurationAsync(validating, name, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }
}
