using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using ApiKeyOperator.Api;
using Microsoft.AspNetCore.Http;

namespace ApiKeyOperator.Benchmarks;

/// <summary>
/// <c>tokens [--threads T=2] [--connections C=16] [--seconds S=10]</c>: client credentials token requests per second
/// and their p99 at the operator's <c>POST /oauth2/token</c> (HTTP Basic, one ClientCredentials ApiKey, ES256 signing,
/// audit row queued per token), from wrk in its own process; the floor is a minimal Kestrel endpoint in the same
/// process as the operator answering the same POST (reads the form, writes a token-sized JSON body).
/// </summary>
public sealed class TokenBenchmark : IBenchmark
{
    public string Name => "tokens";

    public async Task RunAsync(string[] args)
    {
        var flags = new BenchmarkArgs(args, "--threads", "--connections", "--seconds");
        var threads = flags.Int("--threads", 2);
        var connections = flags.Int("--connections", 16);
        var duration = TimeSpan.FromSeconds(flags.Int("--seconds", 10));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(15));
        var ct = cancel.Token;

        await using var bench = await ProviderBench.StartAsync(KeyFormats.ClientCredentials, ct);
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{bench.Data(SecretDataKeys.ClientId)}:{bench.Data(SecretDataKeys.ClientSecret)}"));
        var tokenUrl = new Uri(bench.ReviewUrl, "/oauth2/token");
        var sample = await FirstTokenAsync(tokenUrl, basic, ct);
        var floorUrl = new Uri(await bench.StartFloorAsync(async context =>
        {
            _ = await context.Request.ReadFormAsync(context.RequestAborted);
            context.Response.Headers.CacheControl = "no-store";
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(sample, context.RequestAborted);
        }, ct), "/oauth2/token");

        var script = Wrk.Script("POST", new Dictionary<string, string>
        {
            ["Authorization"] = "Basic " + basic,
            ["Content-Type"] = "application/x-www-form-urlencoded",
        }, "grant_type=client_credentials&scope=recordings%3Aread");
        var warmUp = duration < TimeSpan.FromSeconds(3) ? duration : TimeSpan.FromSeconds(3);
        await Wrk.RunAsync(floorUrl, threads, connections, warmUp, script, ct);
        await Wrk.RunAsync(tokenUrl, threads, connections, warmUp, script, ct);
        var floor = (await Wrk.RunAsync(floorUrl, threads, connections, duration, script, ct)).EnsureAllSucceeded("floor");
        var tokens = (await Wrk.RunAsync(tokenUrl, threads, connections, duration, script, ct)).EnsureAllSucceeded("token endpoint");

        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c, $"tokens: wrk -t{threads} -c{connections} -d{duration.TotalSeconds:0}s, {Environment.ProcessorCount} cores (operator, KubeSim and the floor in one process; wrk in another)"));
        Console.WriteLine(string.Create(c, $"operator /oauth2/token  {tokens.RequestsPerSecond,10:F0} req/s  p50 {tokens.P50Ms:F2} ms  p99 {tokens.P99Ms:F2} ms  ({tokens.Requests} tokens)"));
        Console.WriteLine(string.Create(c, $"floor (Kestrel, form)   {floor.RequestsPerSecond,10:F0} req/s  p50 {floor.P50Ms:F2} ms  p99 {floor.P99Ms:F2} ms"));
        new BenchmarkResult(
            "tokens",
            Math.Round(tokens.RequestsPerSecond, 1),
            "tokens/s",
            Math.Round(floor.RequestsPerSecond, 1),
            Math.Round(tokens.RequestsPerSecond / floor.RequestsPerSecond, 3),
            new Dictionary<string, object>
            {
                ["threads"] = threads,
                ["connections"] = connections,
                ["seconds"] = duration.TotalSeconds,
                ["p50_ms"] = tokens.P50Ms,
                ["p99_ms"] = tokens.P99Ms,
                ["floor_p99_ms"] = floor.P99Ms,
                ["cores"] = Environment.ProcessorCount,
            }).Print();
    }

    /// <summary>One token through HttpClient: checks the endpoint works (signing key loaded) and gives the floor a body of the same size.</summary>
    private static async Task<string> FirstTokenAsync(Uri url, string basic, CancellationToken ct)
    {
        using var http = new HttpClient();
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url)
            {
                Content = new FormUrlEncodedContent([new("grant_type", "client_credentials"), new("scope", "recordings:read")]),
            };
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", basic);
            using var response = await http.SendAsync(request, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                using var _ = JsonDocument.Parse(body);
                return body;
            }

            if (attempt > 100)
            {
                throw new InvalidOperationException($"the token endpoint answers {(int)response.StatusCode}: {body}");
            }

            await Task.Delay(100, ct);
        }
    }
}
