using System.Diagnostics;
using System.Globalization;
using ApiKeyOperator.Api;
using ApiKeyOperator.Hosting;
using k8s.Models;
using KubeSim;

namespace ApiKeyOperator.Benchmarks;

/// <summary>
/// <c>issuance [--apikeys N=10000] [--namespaces M=100]</c>: N ApiKeys over M namespaces exist before the operator
/// starts; a cold operator (empty caches, all namespaces) issues them all. Reports time until all are Ready,
/// keys/s, API writes per key with their breakdown, peak RSS, and the writes of a second, fresh operator that
/// re-reconciles everything once the first has stopped (target 0).
/// </summary>
public sealed class IssuanceBenchmark : IBenchmark
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(60);

    public string Name => "issuance";

    public async Task RunAsync(string[] args)
    {
        var flags = new BenchmarkArgs(args, "--apikeys", "--namespaces");
        var apiKeys = flags.Int("--apikeys", 10_000);
        var namespaces = flags.Int("--namespaces", 100);
        using var cancel = new CancellationTokenSource(Deadline);
        var ct = cancel.Token;

        await using var memory = new MemorySampler();
        await using var cluster = await BenchCluster.StartAsync(
            new KubeSimOptions { RunControllers = false, WatchHistoryWindow = apiKeys * 8, GarbageCollectionInterval = TimeSpan.FromSeconds(5) }, ct);
        var sim = cluster.Sim;

        var created = Stopwatch.StartNew();
        await CreateAsync(cluster, apiKeys, namespaces, ct);
        created.Stop();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"created {apiKeys} ApiKeys in {namespaces} namespaces in {created.Elapsed.TotalSeconds:F1}s (operator not running yet)"));

        // KubeSim alone, holding every ApiKey: the operator's share of the peak is at most the growth past this.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var before = Environment.WorkingSet;
        sim.Requests.Reset();
        using var tracker = new ReadyTracker(sim, apiKeys);
        var issuing = Stopwatch.StartNew();
        var first = await cluster.StartOperatorAsync(cluster.OperatorArgs(), ct);
        using (var progress = new Timer(_ => Console.WriteLine($"  {issuing.Elapsed:mm\\:ss} ready {tracker.Ready}/{apiKeys}"), null, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10)))
        {
            await tracker.AllReady.WaitAsync(ct);
        }

        var issuanceTime = issuing.Elapsed;
        await BenchCluster.WaitForIdleAsync(first, "apikey", apiKeys, ct);
        var settleTime = issuing.Elapsed;
        var issuanceWrites = WriteBreakdown.Of(sim.Requests.Snapshot());
        await first.StopAsync(ct);

        sim.Requests.Reset();
        var resyncing = Stopwatch.StartNew();
        var second = await cluster.StartOperatorAsync(cluster.OperatorArgs(), ct);
        await BenchCluster.WaitForIdleAsync(second, "apikey", apiKeys, ct);
        var resyncTime = resyncing.Elapsed;
        var resyncWrites = WriteBreakdown.Of(sim.Requests.Snapshot());
        await second.StopAsync(ct);

        Report(apiKeys, namespaces, issuanceTime, settleTime, issuanceWrites, resyncTime, resyncWrites, memory.PeakBytes, before, cluster.OperatorArgs());
    }

    private static async Task CreateAsync(BenchCluster cluster, int apiKeys, int namespaces, CancellationToken ct)
    {
        var names = Enumerable.Range(0, namespaces).Select(i => $"bench-{i:D4}").ToList();
        foreach (var ns in names)
        {
            await cluster.Resources<V1Namespace>().CreateAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } }, ct);
        }

        var client = cluster.Resources<ApiKey>();
        await Parallel.ForEachAsync(Enumerable.Range(0, apiKeys), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (i, token) =>
        {
            var name = $"key-{i:D6}";
            await client.CreateAsync(
                new ApiKey
                {
                    Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = names[i % namespaces] },
                    Spec = new ApiKeySpec { SecretName = $"{name}-secret", Scopes = ["bench:read"] },
                },
                token);
        });
    }

    private static void Report(
        int apiKeys, int namespaces, TimeSpan issuance, TimeSpan settled, WriteBreakdown issuanceWrites, TimeSpan resync, WriteBreakdown resyncWrites, long peakBytes, long beforeBytes, string[] args)
    {
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine();
        Console.WriteLine(string.Create(c, $"issuance: {apiKeys} ApiKeys over {namespaces} namespaces, cold start, {Environment.ProcessorCount} cores"));
        Console.WriteLine($"operator flags: {string.Join(' ', args.Select(a => a.StartsWith('/') ? "<temp>" : a))}");
        Console.WriteLine(string.Create(c, $"all Ready after      {issuance.TotalSeconds:F1} s  ({apiKeys / issuance.TotalSeconds:F0} keys/s)"));
        Console.WriteLine(string.Create(c, $"queue drained after  {settled.TotalSeconds:F1} s"));
        Console.WriteLine(string.Create(c, $"API writes           {issuanceWrites.Total} = {(double)issuanceWrites.Total / apiKeys:F2} per key (floor 3: finalizer + Secret + status)"));
        foreach (var (what, count) in issuanceWrites.ByVerbAndResource)
        {
            Console.WriteLine(string.Create(c, $"  {what,-28} {count,8}  {(double)count / apiKeys:F2}/key"));
        }

        Console.WriteLine(string.Create(c, $"peak RSS             {peakBytes / (1024.0 * 1024.0):F0} MiB (whole process: operator AND the in-process KubeSim holding every object)"));
        Console.WriteLine(string.Create(c, $"operator share       <= {(peakBytes - beforeBytes) / (1024.0 * 1024.0):F0} MiB (peak minus {beforeBytes / (1024.0 * 1024.0):F0} MiB of KubeSim holding the ApiKeys; KubeSim's Secrets and Events count too)"));
        Console.WriteLine(string.Create(c, $"idle resync          fresh operator re-reconciled all {apiKeys} in {resync.TotalSeconds:F1} s with {resyncWrites.Total} writes (target 0)"));
        foreach (var (what, count) in resyncWrites.ByVerbAndResource)
        {
            Console.WriteLine(string.Create(c, $"  {what,-28} {count,8}"));
        }
    }
}
