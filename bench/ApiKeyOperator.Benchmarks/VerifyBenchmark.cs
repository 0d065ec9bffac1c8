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

namespace ApiKeyOperator.Benchmarks;

/// <summary>
/// <c>verify [--apikeys N=10000] [--namespaces M=100] [--workers W=16] [--seconds S=20] [--requests R=1000000]</c>:
/// one operator with N Ready ApiKeys serves ApiKeyReview on loopback (plain HTTP, <c>--review-auth none</c>); W
/// concurrent HttpClient workers verify the issued keys round-robin, every key in turn, until S seconds or R
/// requests, after a short warm-up. Reports verifications/s, latency percentiles, and what the usage tracking
/// (batched lastUsedAt status writes) cost meanwhile.
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
        var workers = flags.Int("--workers", 16);
        var duration = TimeSpan.FromSeconds(flags.Int("--seconds", 20));
        var maxRequests = flags.Int("--requests", 1_000_000);
        using var cancel = new CancellationTokenSource(Deadline);
        var ct = cancel.Token;

        await using var cluster = await BenchCluster.StartAsync(
            new KubeSimOptions { RunControllers = false, WatchHistoryWindow = apiKeys * 8, GarbageCollectionInterval = TimeSpan.FromSeconds(5) }, ct);
        await LoadApiKeysAsync(cluster, apiKeys, namespaces, ct);
        using var tracker = new ReadyTracker(cluster.Sim, apiKeys);
        // The shared flags switch the review endpoint off; this benchmark is about it.
        var operatorArgs = cluster.OperatorArgs("--review-auth", "none");
        operatorArgs[Array.IndexOf(operatorArgs, "--review-bind-address") + 1] = "127.0.0.1:0";
        await using var host = await cluster.StartOperatorAsync(operatorArgs, ct);
        var loading = Stopwatch.StartNew();
        await tracker.AllReady.WaitAsync(ct);
        await BenchCluster.WaitForIdleAsync(host, "apikey", apiKeys, ct);
        var bodies = await ReviewBodiesAsync(cluster, apiKeys, ct);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{apiKeys} ApiKeys Ready and {bodies.Count} keys read from their Secrets in {loading.Elapsed.TotalSeconds:F1} s"));

        var reviewUrl = new Uri(((VerificationService)host.Services.GetService(typeof(VerificationService))!).Server!.Addresses[0], ReviewServer.Path);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = workers, UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };
        await RunLoadAsync(http, reviewUrl, bodies, workers, WarmUp, maxRequests, ct);

        cluster.Sim.Requests.Reset();
        var run = await RunLoadAsync(http, reviewUrl, bodies, workers, duration, maxRequests, ct);
        var statusWrites = cluster.Sim.Requests.Count(resource: "apikeys/status");
        Report(apiKeys, workers, run, statusWrites, operatorArgs);
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

    private static void Report(int apiKeys, int workers, LoadResult run, int statusWrites, string[] operatorArgs)
    {
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine();
        Console.WriteLine(string.Create(c, $"verify: {apiKeys} ApiKeys loaded, {workers} concurrent workers on loopback, {Environment.ProcessorCount} cores (operator, KubeSim and load generator in one process)"));
        Console.WriteLine($"operator flags: {string.Join(' ', operatorArgs.Select(a => a.StartsWith('/') ? "<temp>" : a))}");
        Console.WriteLine(string.Create(c, $"verifications        {run.Requests} in {run.Elapsed.TotalSeconds:F1} s = {run.Requests / run.Elapsed.TotalSeconds:F0}/s, {run.Failures} not 201 Valid"));
        Console.WriteLine(string.Create(c, $"latency ms           p50 {run.Percentile(0.50):F2}  p90 {run.Percentile(0.90):F2}  p99 {run.Percentile(0.99):F2}  max {run.Percentile(1.0):F2}"));
        Console.WriteLine(string.Create(c, $"lastUsedAt writes    {statusWrites} apikeys/status writes during the run (at most one per ApiKey per minute)"));
    }
}
