using ApiKeyOperator.Api;
using ApiKeyOperator.Hosting;
using ApiKeyOperator.Runtime;
using ApiKeyOperator.Certificates;
using ApiKeyOperator.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ApiKeyOperator.Verification;

/// <summary>
/// Feeds the <see cref="KeyIndex"/> from the ApiKey informer and serves the ApiKeyReview endpoint. Runs on
/// every replica, leader or not: informers run everywhere, so any replica can answer reviews.
/// </summary>
public sealed class VerificationService(
    OperatorOptions options,
    InformerRegistry informers,
    KeyIndex index,
    IServiceProvider services,
    IKeyUsageSink usage,
    OperatorMetrics metrics,
    TimeProvider time,
    ILoggerFactory loggers,
    IEnumerable<ReviewRoute> routes,
    IBearerTokenReviewer? tokens = null) : IHostedService, IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private ReviewServer? _server;

    public ReviewServer? Server => _server;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var informer = informers.For<ApiKey>(null);
        informer.AddHandler(new InformerHandler<ApiKey>(
            OnAdd: index.Upsert,
            OnUpdate: (_, current) => index.Upsert(current),
            OnDelete: gone => index.Remove(gone.Metadata.NamespaceProperty, gone.Metadata.Name)));
        _ = MarkSyncedAsync(informer, _stopping.Token);

        if (BindAddress.Parse(options.GetValue(ReviewFlags.BindAddress)) is not { } endpoint)
        {
            return;
        }

        var auth = options.GetValue(ReviewFlags.Auth) == "none" ? ReviewAuthMode.None : ReviewAuthMode.Kubernetes;
        _server = new ReviewServer(
            new ReviewOptions
            {
                Endpoint = endpoint,
                TlsCertFile = options.GetValue(ReviewFlags.TlsCertFile),
                TlsKeyFile = options.GetValue(ReviewFlags.TlsKeyFile),
                InsecureHttp = options.GetValue(ReviewFlags.InsecureHttp),
                Certificate = services.GetService<IServingCertificate>(),
                Auth = auth,
            },
            new KeyVerifier(index, time),
            auth == ReviewAuthMode.Kubernetes
                ? new KubernetesReviewAuthorizer(services.GetRequiredService<RequestAuthorizers>().For(options.GetValue(ReviewFlags.TokenAudiences) ?? []))
                : null,
            usage,
            new VerificationMetrics(metrics.Factory),
            time,
            loggers,
            [.. routes],
            tokens);
        await _server.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_server is not null)
        {
            await _server.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    // Until the first list is in, every key would look Unknown; the endpoint answers 503 instead.
    private async Task MarkSyncedAsync(Informer<ApiKey> informer, CancellationToken cancellationToken)
    {
        try
        {
            await informer.WaitForSyncAsync(cancellationToken).ConfigureAwait(false);
            index.MarkSynced();
        }
        catch (OperationCanceledException)
        {
            // Stopped before the first list completed.
        }
    }
}
