using System.Globalization;
using ApiKeyOperator.Api;
using ApiKeyOperator.IntegrationTests.Providers;
using Microsoft.AspNetCore.Http;

namespace ApiKeyOperator.Benchmarks;

/// <summary>
/// <c>forward-auth [--threads T=2] [--connections C=16] [--seconds S=10]</c>: requests per second through Debian's
/// nginx with the README's <c>auth_request</c> configuration (every request checked by the operator's forward-auth
/// with a valid key, then proxied to a tiny upstream), against the floor of the same nginx proxying to the same
/// upstream without the check. The ratio is what protection costs. wrk runs in its own process; nginx is one
/// process (<c>master_process off</c>) in both runs.
/// </summary>
public sealed class ForwardAuthBenchmark : IBenchmark
{
    public string Name => "forward-auth";

    public async Task RunAsync(string[] args)
    {
        var flags = new BenchmarkArgs(args, "--threads", "--connections", "--seconds");
        var threads = flags.Int("--threads", 2);
        var connections = flags.Int("--connections", 16);
        var duration = TimeSpan.FromSeconds(flags.Int("--seconds", 10));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(15));
        var ct = cancel.Token;

        await using var bench = await ProviderBench.StartAsync(KeyFormats.Token, ct);
        var key = bench.Data(SecretDataKeys.ApiKey);
        var upstream = await bench.StartFloorAsync(context =>
        {
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync($"{{\"namespace\":\"{context.Request.Headers["X-ApiKey-Namespace"]}\"}}", context.RequestAborted);
        }, ct);
        var review = bench.ReviewUrl;
        var protectedConfig = ReadmeSnippet.Fill(
            ReadmeSnippet.Read("nginx-gateway"),
            ("apikey-operator-review.apikey-operator-system.svc:8443;", $"{review.Host}:{review.Port};"),
            ("billing-api.payments.svc:8080", $"{upstream.Host}:{upstream.Port}"),
            ("listen 8080;", "listen 127.0.0.1:{{port}};"),
            ("namespaces=payments", $"namespaces={ProviderBench.Namespace}"),
            ("\"Bearer ${GATEWAY_TOKEN}\"", "\"Bearer unused-with-review-auth-none\""),
            ("proxy_pass https://apikey_operator", "proxy_pass http://apikey_operator"));
        protectedConfig = string.Join('\n', protectedConfig.Split('\n').Where(l => !l.TrimStart().StartsWith("proxy_ssl_", StringComparison.Ordinal)));
        var directConfig = $$$"""
            upstream service { server {{{upstream.Host}}}:{{{upstream.Port}}}; }
            server {
                listen 127.0.0.1:{{port}};
                location / { proxy_pass http://service; }
            }
            """;
        var protectedGateway = await NginxGateway.StartAsync(protectedConfig, ct);
        bench.Own(protectedGateway);
        var directGateway = await NginxGateway.StartAsync(directConfig, ct);
        bench.Own(directGateway);

        var script = Wrk.Script("GET", new Dictionary<string, string> { ["Authorization"] = "Bearer " + key }, null);
        var target = "/recordings/7";
        var warmUp = duration < TimeSpan.FromSeconds(3) ? duration : TimeSpan.FromSeconds(3);
        await Wrk.RunAsync(new Uri(directGateway.Url, target), threads, connections, warmUp, script, ct);
        await Wrk.RunAsync(new Uri(protectedGateway.Url, target), threads, connections, warmUp, script, ct);
        var direct = (await Wrk.RunAsync(new Uri(directGateway.Url, target), threads, connections, duration, script, ct)).EnsureAllSucceeded("nginx direct");
        var protectedRun = (await Wrk.RunAsync(new Uri(protectedGateway.Url, target), threads, connections, duration, script, ct)).EnsureAllSucceeded("nginx with forward-auth");

        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c, $"forward-auth: wrk -t{threads} -c{connections} -d{duration.TotalSeconds:0}s, {Environment.ProcessorCount} cores (operator, KubeSim and upstream in one process; nginx and wrk in their own)"));
        Console.WriteLine(string.Create(c, $"nginx + forward-auth   {protectedRun.RequestsPerSecond,10:F0} req/s  p50 {protectedRun.P50Ms:F2} ms  p99 {protectedRun.P99Ms:F2} ms"));
        Console.WriteLine(string.Create(c, $"nginx direct (floor)   {direct.RequestsPerSecond,10:F0} req/s  p50 {direct.P50Ms:F2} ms  p99 {direct.P99Ms:F2} ms"));
        new BenchmarkResult(
            "forward-auth",
            Math.Round(protectedRun.RequestsPerSecond, 1),
            "requests/s",
            Math.Round(direct.RequestsPerSecond, 1),
            Math.Round(protectedRun.RequestsPerSecond / direct.RequestsPerSecond, 3),
            new Dictionary<string, object>
            {
                ["threads"] = threads,
                ["connections"] = connections,
                ["seconds"] = duration.TotalSeconds,
                ["p50_ms"] = protectedRun.P50Ms,
                ["p99_ms"] = protectedRun.P99Ms,
                ["floor_p99_ms"] = direct.P99Ms,
                ["cores"] = Environment.ProcessorCount,
            }).Print();
    }
}
