using ApiKeyOperator.Api;
using ApiKeyOperator.Runtime;
using Microsoft.Extensions.Hosting;
using Prometheus;

namespace ApiKeyOperator.Controllers.ApiKeys;

/// <summary>
/// <c>apikey_expiry_timestamp_seconds{namespace,name,key_id}</c>: when each ApiKey's current key expires, so an
/// alert can fire ahead of it (<c>apikey_expiry_timestamp_seconds - time() &lt; 14*24*3600</c>). Fed by the
/// informer on every replica, not by reconciles, so it is right on followers too and costs no API call.
/// </summary>
public sealed class ApiKeyExpiryMetrics(InformerRegistry informers, OperatorMetrics metrics) : IHostedService
{
    private readonly Gauge _expiry = metrics.Factory.CreateGauge(
        "apikey_expiry_timestamp_seconds", "Unix time at which the current key of an ApiKey expires.", ["namespace", "name", "key_id"]);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        informers.For<ApiKey>(null).AddHandler(new InformerHandler<ApiKey>(
            OnAdd: Set,
            OnUpdate: (old, current) =>
            {
                if (old.Status?.CurrentKeyId != current.Status?.CurrentKeyId)
                {
                    Remove(old);
                }

                Set(current);
            },
            OnDelete: Remove));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Set(ApiKey apiKey)
    {
        if (apiKey.Status?.CurrentKeyId is { } keyId && apiKey.Status.ExpiresAt is { } expiresAt)
        {
            _expiry.WithLabels(apiKey.Metadata.NamespaceProperty ?? "", apiKey.Metadata.Name, keyId)
                .Set(new DateTimeOffset(DateTime.SpecifyKind(expiresAt, DateTimeKind.Utc)).ToUnixTimeSeconds());
        }
    }

    private void Remove(ApiKey apiKey)
    {
        if (apiKey.Status?.CurrentKeyId is { } keyId)
        {
            _expiry.RemoveLabelled(apiKey.Metadata.NamespaceProperty ?? "", apiKey.Metadata.Name, keyId);
        }
    }
}
