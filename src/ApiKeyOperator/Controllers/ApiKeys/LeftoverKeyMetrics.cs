using ApiKeyOperator.Api;
using ApiKeyOperator.Runtime;
using Microsoft.Extensions.Hosting;
using Prometheus;

namespace ApiKeyOperator.Controllers.ApiKeys;

/// <summary>
/// <c>apikey_leftover_keys{namespace,name}</c>: keys besides the current one that stay valid although no rotation
/// needs them (a failed Graceful rotation leaves its old key valid; the LeftoverKeyValid condition says which). Fed
/// by the informer like <see cref="ApiKeyExpiryMetrics"/>, so the shipped alert fires on it.
/// </summary>
public sealed class LeftoverKeyMetrics(InformerRegistry informers, OperatorMetrics metrics) : IHostedService
{
    private readonly Gauge _leftover = metrics.Factory.CreateGauge(
        "apikey_leftover_keys", "Keys of an ApiKey besides the current one that stay valid with no rotation running (after a failed Graceful rotation).", ["namespace", "name"]);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        informers.For<ApiKey>(null).AddHandler(new InformerHandler<ApiKey>(
            OnAdd: Set,
            OnUpdate: (_, current) => Set(current),
            OnDelete: gone => _leftover.RemoveLabelled(gone.Metadata.NamespaceProperty ?? "", gone.Metadata.Name)));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public static int Count(ApiKey apiKey) =>
        Conditions.IsTrue(apiKey.Status?.Conditions, ConditionTypes.LeftoverKeyValid)
            ? (apiKey.Status?.Keys ?? []).Count(k => k.State == KeyStates.Retiring && k.Id != apiKey.Status!.CurrentKeyId)
            : 0;

    private void Set(ApiKey apiKey) => _leftover.WithLabels(apiKey.Metadata.NamespaceProperty ?? "", apiKey.Metadata.Name).Set(Count(apiKey));
}
