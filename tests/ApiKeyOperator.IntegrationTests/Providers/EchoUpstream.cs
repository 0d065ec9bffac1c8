using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ApiKeyOperator.IntegrationTests.Providers;

/// <summary>The service behind the gateway: answers 200 with the identity headers it received, as JSON.</summary>
public sealed class EchoUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly StrongBox<int> _requests;

    private EchoUpstream(WebApplication app, Uri url, StrongBox<int> requests)
    {
        _app = app;
        Url = url;
        _requests = requests;
    }

    public Uri Url { get; }

    /// <summary>Requests that reached the service (that the gateway let through).</summary>
    public int Requests => Volatile.Read(ref _requests.Value);

    public static async Task<EchoUpstream> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var requests = new StrongBox<int>();
        app.Run(context =>
        {
            Interlocked.Increment(ref requests.Value);
            var seen = context.Request.Headers
                .Where(h => h.Key.StartsWith("X-ApiKey-", StringComparison.OrdinalIgnoreCase))
                .ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync(JsonSerializer.Serialize(seen), context.RequestAborted);
        });
        await app.StartAsync(cancellationToken);
        return new EchoUpstream(app, new Uri(app.Urls.First()), requests);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
