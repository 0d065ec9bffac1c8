using System.Net;
using ApiKeyOperator.Certificates;
using ApiKeyOperator.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ApiKeyOperator.Admission;

/// <summary>
/// Serves the webhook on <c>--webhook-bind-address</c> over TLS with the operator's serving certificate (asked on
/// every handshake, so rotations need no restart). Every replica serves it: the API server picks any endpoint.
/// </summary>
public sealed class WebhookServer(IPEndPoint endpoint, IServingCertificate certificate, WebhookHandler handler, ILogger<WebhookServer> logger)
    : IHostedService, IAsyncDisposable
{
    private HttpEndpointServer? _server;
    private readonly TaskCompletionSource<Uri> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The base URL once listening (the real port when 0 was asked for).</summary>
    public Uri? Url => _server?.Url;

    /// <summary>Completes with <see cref="Url"/> once the server listens.</summary>
    public Task<Uri> Started => _started.Task;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _server = await HttpEndpointServer.StartAsync(endpoint, handler.HandleAsync, () => certificate.Current, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Serving the admission webhook on {Url}", _server.Url);
        _started.TrySetResult(_server.Url);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is { } server)
        {
            _server = null;
            await server.DisposeAsync().ConfigureAwait(false);
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync(CancellationToken.None));
}
