using System.Text;
using ApiKeyOperator.Runtime;
using Microsoft.AspNetCore.Http;

namespace ApiKeyOperator.Hosting;

/// <summary>Request handlers of the metrics and health servers.</summary>
internal static class ProbeEndpoints
{
    public static RequestDelegate Metrics(OperatorMetrics metrics, IReadOnlyList<MetricsRoute> routes) => async context =>
    {
        if (routes.FirstOrDefault(r => context.Request.Path == r.Path) is { } route)
        {
            await route.Handler(context).ConfigureAwait(false);
            return;
        }

        if (context.Request.Path != "/metrics")
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
        await metrics.WriteAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
    };

    /// <summary>/healthz: the process serves requests. /readyz: every <see cref="IReadinessCheck"/>, one line each, kube-apiserver style.</summary>
    public static RequestDelegate Health(IReadOnlyList<IReadinessCheck> checks) => async context =>
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        switch (context.Request.Path.Value)
        {
            case "/healthz" or "/livez":
                await context.Response.WriteAsync("ok", context.RequestAborted).ConfigureAwait(false);
                return;
            case "/readyz":
                var body = new StringBuilder();
                var ready = true;
                foreach (var check in checks)
                {
                    var result = check.Check();
                    ready &= result.Ready;
                    body.Append(result.Ready ? "[+]" : "[-]").Append(check.Name).Append(result.Ready ? " ok" : " failed");
                    if (result.Detail is { } detail)
                    {
                        body.Append(": ").Append(detail);
                    }

                    body.Append('\n');
                }

                body.Append(ready ? "readyz check passed\n" : "readyz check failed\n");
                context.Response.StatusCode = ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
                await context.Response.WriteAsync(body.ToString(), context.RequestAborted).ConfigureAwait(false);
                return;
            default:
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
        }
    };
}
