using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ApiKeyOperator.Benchmarks;

/// <summary>The floor of an HTTP endpoint: a minimal Kestrel app on loopback answering every request with one delegate.</summary>
public static class KestrelFloor
{
    public static async Task<(WebApplication App, Uri Url)> StartAsync(RequestDelegate handler, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(IPAddress.Loopback, 0);
        });
        var app = builder.Build();
        app.Run(handler);
        await app.StartAsync(cancellationToken);
        return (app, new Uri(app.Urls.First()));
    }
}
