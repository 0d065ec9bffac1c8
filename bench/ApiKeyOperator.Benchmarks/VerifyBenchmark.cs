using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ApiKeyOperator.Api;
using ApiKeyOperator.Verification;
using k8s.Models;
using KubeSim;
using Microsoft.AspNetCore.Http;

namespace ApiKeyOperator.Benchmarks;

/// <summary>
/// <c>verify [--apikeys N=10000] [--namespaces M=100] [--workers W=32] [--seconds S=20] [--requests R=1000000]</c>:
/// one operator with N Ready ApiKeys serves ApiKeyReview on loopback (plain HTTP, <c>--review-auth none</c>); W
/// connections verify the issued keys round-robin, every key in turn, for S seconds after a short warm-up. The floor,
/// in the same run: a minimal Kestrel app answering the same POSTs with a review-sized body. The load generator is
/// wrk in its own process when installed (<c>apt-get install wrk</c>); otherwise HttpClient workers in this process
/// (then also capped at R requests), which the params say. Reports verifications/s against the floor, latency
/// percentiles, and what the usage tracking (batched lastUsedAt status writes) cost meanwhile.
/// </summary>
public sealed class VerifyBenchmark : IBenchmark
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(30);
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(3);

    public string Name => "verify";

    public async Task RunAsync(string[] args)
    {
        var flags = new BenchmarkArgs(args, "--apikeys", "--namespaces", "--workers", "--seconds", "--requests");
        var apiKeys = flags.Int("--apikeys", 10_000);
        var namespaces = flags.Int("--namespaces", 100);
        var workers = flags.Int("--workers", 32);
        var duration = TimeSpan.FromSeconds(flags.Int("--seconds", 20));
        var maxRequests = flags.Int("--requests", 1_000_000);
        using var cancel = new CancellationTokenSource(Deadline);
        var ct = cancel.Token;

        await using var cluster = await BenchCluster.StartAsync(
            new KubeSimOptions { RunControllers = false, WatchHistoryWindow = apiKeys * 8, GarbageCollectionInterval = TimeSpan.FromSeconds(5) }, ct);
        await LoadApiKeysAsync(cluster, apiKeys, namespaces, ct);
        using var tracker = new ReadyTracker(cluster.Sim, apiKeys);
        // The shared flags switch the review endpoint off; this benchmark is about it.
        var operatorArgs = cluster.OperatorArgs("--review-auth", "none", "--review-insecure-http");
        operatorArgs[Array.IndexOf(operatorArgs, "--review-bind-address") + 1] = "127.0.0.1:0";
        await using var host = await cluster.StartOperatorAsync(operatorArgs, ct);
        var loading = Stopwatch.StartNew();
        await tracker.AllReady.WaitAsync(ct);
        await BenchCluster.WaitForIdleAsync(host, "apikey", apiKeys, ct);
        var bodies = await ReviewBodiesAsync(cluster, apiKeys, ct);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{apiKeys} ApiKeys Ready and {bodies.Count} keys read from their Secrets in {loading.Elapsed.TotalSeconds:F1} s"));

        var reviewUrl = new Uri(((VerificationService)host.Services.GetService(typeof(VerificationService))!).Server!.Addresses[0], ReviewServer.Path);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = workers, UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };
        var warmUp = duration < WarmUp ? duration : WarmUp;
        // Every key verifies as Valid through HttpClient first (wrk counts status codes only), and JIT warms up.
        var check = await RunLoadAsync(http, reviewUrl, bodies, workers, warmUp, Math.Max(bodies.Count, 1), ct);
        if (check.Failures > 0)
        {
            throw new InvalidOperationException($"{check.Failures} of {check.Requests} reviews were not 201 Valid");
        }

        var sample = await SampleAnswerAsync(http, reviewUrl, bodies[0], ct);
        var (floorApp, floorUrl) = await KestrelFloor.StartAsync(async context =>
        {
            // The same POST as the operator gets: the whole body read, a review-sized JSON answer written.
            await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
            context.Response.StatusCode = StatusCodes.Status201Created;
            context.Response.ContentType = "application/json";
            await context.Response.Body.WriteAsync(sample, context.RequestAborted);
        }, ct);
        await using var floorAppScope = floorApp;
        var floorReviewUrl = new Uri(floorUrl, ReviewServer.Path);

        Measured floor, run;
        var generator = Wrk.IsInstalled ? "wrk" : "httpclient-in-process";
        cluster.Sim.Requests.Reset();
        if (Wrk.IsInstalled)
        {
            var script = Wrk.CyclingPostScript([.. bodies.Select(b => Encoding.UTF8.GetString(b))]);
            await Wrk.RunAsync(floorReviewUrl, WrkThreads, workers, warmUp, script, ct);
            floor = Measured.From((await Wrk.RunAsync(floorReviewUrl, WrkThreads, workers, duration, script, ct)).EnsureAllSucceeded("Kestrel floor"));
            run = Measured.From((await Wrk.RunAsync(reviewUrl, WrkThreads, workers, duration, script, ct)).EnsureAllSucceeded("ApiKeyReview"));
        }
        else
        {
            await RunLoadAsync(http, floorReviewUrl, bodies, workers, warmUp, maxRequests, ct);
            floor = Measured.From(await RunLoadAsync(http, floorReviewUrl, bodies, workers, duration, maxRequests, ct));
            run = Measured.From(await RunLoadAsync(http, reviewUrl, bodies, workers, duration, maxRequests, ct));
        }

        var statusWrites = cluster.Sim.Requests.Count(resource: "apikeys/status");
        Report(apiKeys, workers, generator, run, floor, statusWrites, operatorArgs);
        new BenchmarkResult(
            Name,
            Math.Round(run.PerSecond, 1),
            "verifications/s",
            Math.Round(floor.PerSecond, 1),
            Math.Round(run.PerSecond / floor.PerSecond, 3),
            new Dictionary<string, object>
            {
                ["apikeys"] = apiKeys,
                ["connections"] = workers,
                ["seconds"] = duration.TotalSeconds,
                ["load_generator"] = generator,
                ["p50_ms"] = Math.Round(run.P50Ms, 3),
                ["p99_ms"] = Math.Round(run.P99Ms, 3),
                ["floor_p99_ms"] = Math.Round(floor.P99Ms, 3),
                ["status_writes"] = statusWrites,
                ["cores"] = Environment.ProcessorCount,
            }).Print();
        await host.StopAsync(ct);
    }

    private static async Task LoadApiKeysAsync(BenchCluster cluster, int apiKeys, int namespaces, CancellationToken ct)
    {
        for (var n = 0; n < namespaces; n++)
        {
            await cluster.Resources<V1Namespace>().CreateAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Namespace(n) } }, ct);
        }

        var client = cluster.Resources<ApiKey>();
        await Parallel.ForEachAsync(Enumerable.Range(0, apiKeys), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, (i, token) =>
            new ValueTask(client.CreateAsync(
                new ApiKey
                {
                    Metadata = new V1ObjectMeta { Name = $"svc-{i:D6}", NamespaceProperty = Namespace(i % namespaces) },
                    Spec = new ApiKeySpec { SecretName = $"svc-{i:D6}-key", Scopes = ["orders:read"] },
                },
                token)));

        static string Namespace(int n) => $"verify-{n:D4}";
    }

    /// <summary>One serialized ApiKeyReview per issued key, read from the Secrets as a provider would receive them.</summary>
    private static async Task<IReadOnlyList<byte[]>> ReviewBodiesAsync(BenchCluster cluster, int expected, CancellationToken ct)
    {
        var secrets = await cluster.Resources<V1Secret>().ListAsync(null, WellKnown.ApiKeyLabel, ct);
        var bodies = secrets.Items
            .Select(s => JsonSerializer.SerializeToUtf8Bytes(new ApiKeyReview
            {
                ApiVersion = ApiKeyReview.ApiVersionValue,
                Kind = ApiKeyReview.KindValue,
                Spec = new ApiKeyReviewSpec { Key = Encoding.UTF8.GetString(s.Data[SecretDataKeys.ApiKey]), RequiredScopes = ["orders:read"] },
            }))
            .ToList();
        return bodies.Count == expected ? bodies : throw new InvalidOperationException($"expected {expected} issued keys, found {bodies.Count}");
    }

    private const int WrkThreads = 2;

    /// <summary>One answer of the operator to <paramref name="body"/>: what the floor sends back, byte for byte.</summary>
    private static async Task<byte[]> SampleAnswerAsync(HttpClient http, Uri url, byte[] body, CancellationToken ct)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync(url, content, ct);
        return await response.Content.ReadAsByteArrayAsync(ct);
    }

    private static async Task<LoadResult> RunLoadAsync(
        HttpClient http, Uri url, IReadOnlyList<byte[]> bodies, int workers, TimeSpan duration, int maxRequests, CancellationToken ct)
    {
        var next = -1;
        var failures = 0;
        var latencies = new List<long>[workers];
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            var mine = latencies[w] = new List<long>(capacity: 1 << 16);
            int i;
            while (clock.Elapsed < duration && (i = Interlocked.Increment(ref next)) < maxRequests)
            {
                using var content = new ByteArrayContent(bodies[i % bodies.Count]);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                var started = Stopwatch.GetTimestamp();
                using var response = await http.PostAsync(url, content, ct);
                var body = await response.Content.ReadAsStringAsync(ct);
                mine.Add(Stopwatch.GetTimestamp() - started);
                if (response.StatusCode != HttpStatusCode.Created || !body.Contains("\"reason\":\"Valid\"", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }, ct)));
        var elapsed = clock.Elapsed;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new LoadResult(all.Length, failures, elapsed, all);
    }

    private static void Report(int apiKeys, int workers, string generator, Measured run, Measured floor, int statusWrites, string[] operatorArgs)
    {
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine();
        Console.WriteLine(string.Create(c, $"verify: {apiKeys} ApiKeys cycled, {workers} connections on loopback from {generator}, {Environment.ProcessorCount} cores (operator, KubeSim and the floor in one process)"));
        Console.WriteLine($"operator flags: {string.Join(' ', operatorArgs.Select(a => a.StartsWith('/') ? "<temp>" : a))}");
        Console.WriteLine(string.Create(c, $"ApiKeyReview          {run.PerSecond,10:F0}/s  p50 {run.P50Ms:F2} ms  p99 {run.P99Ms:F2} ms  ({run.Requests} verifications)"));
        Console.WriteLine(string.Create(c, $"floor (Kestrel POST)  {floor.PerSecond,10:F0}/s  p50 {floor.P50Ms:F2} ms  p99 {floor.P99Ms:F2} ms"));
        Console.WriteLine(string.Create(c, $"lastUsedAt writes     {statusWrites} apikeys/status writes during both runs (at most one per ApiKey per minute)"));
    }

    /// <summary>Throughput and latency of one run, whichever load generator made it.</summary>
    private sealed record Measured(double PerSecond, long Requests, double P50Ms, double P99Ms)
    {
        public static Measured From(WrkResult r) => new(r.RequestsPerSecond, r.Requests, r.P50Ms, r.P99Ms);

        public static Measured From(LoadResult r) =>
            r.Failures > 0
                ? throw new InvalidOperationException($"{r.Failures} of {r.Requests} requests were not 201 Valid")
                : new(r.Requests / r.Elapsed.TotalSeconds, r.Requests, r.Percentile(0.50), r.Percentile(0.99));
    }
}
