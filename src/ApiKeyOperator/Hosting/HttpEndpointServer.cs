using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace ApiKeyOperator.Hosting;

/// <summary>
/// A minimal Kestrel server for one bind address (metrics, health probes, or a module's own endpoint), reporting the
/// port it got so tests can bind <c>127.0.0.1:0</c>. Parse flag values with <see cref="BindAddress.Parse"/>.
/// </summary>
public sealed class HttpEndpointServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private HttpEndpointServer(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    public static async Task<HttpEndpointServer> StartAsync(IPEndPoint endpoint, RequestDelegate handler, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(endpoint));
        var app = builder.Build();
        app.Run(handler);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        // Listening on port 0 binds a free port; the server's address list has the real one.
        var bound = new Uri(app.Urls.First());
        var host = endpoint.Address.Equals(IPAddress.Any) || endpoint.Address.Equals(IPAddress.IPv6Any) ? "127.0.0.1" : bound.Host;
        return new HttpEndpointServer(app, new UriBuilder(Uri.UriSchemeHttp, host, bound.Port).Uri);
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
