using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace ApiKeyOperator.Hosting;

/// <summary>
/// A minimal Kestrel server for one bind address (metrics, health probes, or a module's own endpoint), reporting the
/// port it got so tests can bind <c>127.0.0.1:0</c>, over TLS when given a certificate source (asked on every
/// handshake, so a rotated certificate is served at once). Parse flag values with <see cref="BindAddress.Parse"/>.
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

    public static Task<HttpEndpointServer> StartAsync(IPEndPoint endpoint, RequestDelegate handler, CancellationToken cancellationToken) =>
        StartAsync(endpoint, handler, null, cancellationToken);

    /// <param name="certificate">Serves HTTPS with what it returns on each handshake; null serves plain HTTP.</param>
    public static async Task<HttpEndpointServer> StartAsync(
        IPEndPoint endpoint, RequestDelegate handler, Func<X509Certificate2?>? certificate, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(endpoint, listen =>
            {
                if (certificate is not null)
                {
                    listen.UseHttps(https => https.ServerCertificateSelector = (_, _) => certificate());
                }
            });
        });
        var app = builder.Build();
        app.Run(handler);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        // Listening on port 0 binds a free port; the server's address list has the real one.
        var bound = new Uri(app.Urls.First());
        var host = endpoint.Address.Equals(IPAddress.Any) || endpoint.Address.Equals(IPAddress.IPv6Any) ? "127.0.0.1" : bound.Host;
        return new HttpEndpointServer(app, new UriBuilder(certificate is null ? Uri.UriSchemeHttp : Uri.UriSchemeHttps, host, bound.Port).Uri);
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
