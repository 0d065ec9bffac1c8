using ApiKeyOperator.Api;
using ApiKeyOperator.Hosting;
using ApiKeyOperator.Runtime;
using Microsoft.Extensions.Hosting;
using Prometheus;

namespace ApiKeyOperator.Controllers.ApiKeys;

/// <summary>
/// <c>apikey_expiry_timestamp_seconds{namespace,name,key_id}</c>: when each ApiKey's current key expires, so an
/// alert can fire ahead of it (<c>apikey_expiry_timestamp_seconds - time() &lt; 14*24*3600</c>). Computed from the
/// informer cache at every scrape, and only on the leader: followers hold the same cache, but a series from every
/// replica would fire every expiry alert once per replica. No API call either way.
/// </summary>
public sealed class ApiKeyExpiryMetrics(InformerRegistry informers, OperatorMetrics metrics, LeaderElectionStatus leadership) : IHostedService
{
    private readonly Gauge _expiry = metrics.Factory.CreateGauge(
        "apikey_expiry_timestamp_seconds", "Unix time at which the current key of an ApiKey expires (exported by the leader only).", ["namespace", "name", "key_id"]);

    private readonly Lock _lock = new();
    private ObjectCache<ApiKey>? _cache;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _cache = informers.For<ApiKey>(null).Cache;
        metrics.Registry.AddBeforeCollectCallback(Refresh);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Refresh()
    {
        var wanted = new Dictionary<(string Namespace, string Name, string KeyId), double>();
        if (leadership.IsLeading && _cache is { } cache)
        {
            foreach (var apiKey in cache.List())
            {
                if (apiKey.Status?.CurrentKeyId is { } keyId && apiKey.Status.ExpiresAt is { } expiresAt)
                {
                    wanted[(apiKey.Metadata.NamespaceProperty ?? "", apiKey.Metadata.Name, keyId)] =
                        new DateTimeOffset(DateTime.SpecifyKind(expiresAt, DateTimeKind.Utc)).ToUnixTimeSeconds();
                }
            }
        }

        // Scrapes may overlap; one refresh at a time keeps removals and sets from interleaving.
        lock (_lock)
        {
            foreach (var labels in _expiry.GetAllLabelValues())
            {
                if (!wanted.ContainsKey((labels[0], labels[1], labels[2])))
                {
                    _expiry.RemoveLabelled(labels);
                }
            }

            foreach (var ((ns, name, keyId), value) in wanted)
            {
                _expiry.WithLabels(ns, name, keyId).Set(value);
            }
        }
    }
}
