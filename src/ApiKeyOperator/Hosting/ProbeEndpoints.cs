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

    /// <summary>
    /// /healthz and /livez: every <see cref="ILivenessCheck"/> (the liveness probe; failing ones make the kubelet restart
    /// the container). /readyz: every <see cref="IReadinessCheck"/>. One line per check, kube-apiserver style; 503 when one fails.
    /// </summary>
    public static RequestDelegate Health(IReadOnlyList<IReadinessCheck> readiness, IReadOnlyList<ILivenessCheck> liveness) => async context =>
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        switch (context.Request.Path.Value)
        {
            case "/healthz" or "/livez":
                var results = liveness.Select(c => (c.Name, c.Check())).ToList();
                if (results.All(r => r.Item2.Ready) && !context.Request.Query.ContainsKey("verbose"))
                {
                    // kube-apiserver's short answer; ?verbose lists the checks.
                    await context.Response.WriteAsync("ok", context.RequestAborted).ConfigureAwait(false);
                    return;
                }

                await WriteAsync(context, "healthz", results).ConfigureAwait(false);
                return;
            case "/readyz":
                await WriteAsync(context, "readyz", [.. readiness.Select(c => (c.Name, c.Check()))]).ConfigureAwait(false);
                return;
            default:
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
        }
    };

    private static async Task WriteAsync(HttpContext context, string probe, IReadOnlyList<(string Name, ReadinessResult Result)> results)
    {
        var body = new StringBuilder();
        var ok = true;
        foreach (var (name, result) in results)
        {
            ok &= result.Ready;
            body.Append(result.Ready ? "[+]" : "[-]").Append(name).Append(result.Ready ? " ok" : " failed");
            if (result.Detail is { } detail)
            {
                body.Append(": ").Append(detail);
            }

            body.Append('\n');
        }

        body.Append(probe).Append(ok ? " check passed\n" : " check failed\n");
        context.Response.StatusCode = ok ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        await context.Response.WriteAsync(body.ToString(), context.RequestAborted).ConfigureAwait(false);
    }
}
