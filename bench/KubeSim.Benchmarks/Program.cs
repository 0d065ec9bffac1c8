// KubeSim over HTTP with KubernetesClient: creates, updates, watch fan-out to 10 watchers, and write latency with many
// objects stored. Run: dotnet run -c Release --project bench/KubeSim.Benchmarks -- [--count 2000] [--objects 10000]
// The last line is one JSON object: update p99 with --objects stored and the default options (garbage collector every
// 50 ms), against the floor of the same run with the garbage collector effectively off.
using System.Globalization;
using System.Text.Json;
using KubeSim;
using KubeSim.Benchmarks;

var count = 2000;
var objects = 10_000;
for (var i = 0; i < args.Length; i += 2)
{
    var value = i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0
        ? n
        : throw new ArgumentException($"{args[i]} needs a positive integer");
    switch (args[i])
    {
        case "--count": count = value; break;
        case "--objects": objects = value; break;
        default: throw new ArgumentException($"unknown flag {args[i]} (known: --count, --objects)");
    }
}

using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(20));
var ct = cancel.Token;
var results = new List<Measurement>();

await using (var sim = await KubeSimServer.StartAsync(new KubeSimOptions { RunControllers = false, WatchHistoryWindow = count * 4 }, ct))
{
    await Scenarios.PrepareAsync(sim.Client, ct);
    await Scenarios.WarmUpAsync(sim.Client, ct);
    results.Add(await Scenarios.CreatesAsync(sim.Client, count, 1, ct));
    results.Add(await Scenarios.UpdatesAsync(sim.Client, count, 1, ct));
}

await using (var sim = await KubeSimServer.StartAsync(new KubeSimOptions { RunControllers = false, WatchHistoryWindow = count * 4 }, ct))
{
    await Scenarios.PrepareAsync(sim.Client, ct);
    results.Add(await Scenarios.CreatesAsync(sim.Client, count, 8, ct));
    results.Add(await Scenarios.UpdatesAsync(sim.Client, count, 8, ct));
    results.Add(await Scenarios.WatchFanOutAsync(sim.Client, count, 10, ct));
}

// Write latency with many objects: the default options, then the garbage collector effectively off (the floor).
async Task<double[]> LatenciesAsync(TimeSpan gcInterval)
{
    await using var sim = await KubeSimServer.StartAsync(
        new KubeSimOptions { RunControllers = false, WatchHistoryWindow = (objects + count) * 2, GarbageCollectionInterval = gcInterval }, ct);
    await Scenarios.PrepareAsync(sim.Client, ct);
    await Scenarios.WarmUpAsync(sim.Client, ct);
    return await Scenarios.UpdateLatenciesAsync(sim.Client, objects, count, ct);
}

var defaults = new KubeSimOptions();
var withGc = await LatenciesAsync(defaults.GarbageCollectionInterval);
var withoutGc = await LatenciesAsync(TimeSpan.FromDays(1));
double P(double[] sorted, double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];

Console.WriteLine($"KubeSim throughput, {count} objects per scenario, {Environment.ProcessorCount} cores");
Console.WriteLine();
Console.WriteLine($"| {"scenario",-48} | {"operations",10} | {"seconds",8} | {"per second",10} |");
Console.WriteLine($"|{new string('-', 50)}|{new string('-', 12)}|{new string('-', 10)}|{new string('-', 12)}|");
foreach (var r in results)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {r.Name,-48} | {r.Operations,10} | {r.Elapsed.TotalSeconds,8:F2} | {r.PerSecond,10:F0} |"));
}

Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"update with {objects} objects stored, 8 clients: p50 {P(withGc, 0.5):F2} ms, p99 {P(withGc, 0.99):F2} ms (gc every {defaults.GarbageCollectionInterval.TotalMilliseconds:F0} ms); floor without gc p50 {P(withoutGc, 0.5):F2} ms, p99 {P(withoutGc, 0.99):F2} ms"));
Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
{
    ["benchmark"] = "kubesim-write-p99",
    ["value"] = Math.Round(P(withGc, 0.99), 3),
    ["unit"] = "ms",
    ["floor"] = Math.Round(P(withoutGc, 0.99), 3),
    ["ratio"] = Math.Round(P(withGc, 0.99) / P(withoutGc, 0.99), 3),
    ["params"] = new Dictionary<string, object>
    {
        ["objects"] = objects,
        ["updates"] = count,
        ["clients"] = 8,
        ["gc_interval_ms"] = defaults.GarbageCollectionInterval.TotalMilliseconds,
        ["p50_ms"] = Math.Round(P(withGc, 0.5), 3),
        ["floor_p50_ms"] = Math.Round(P(withoutGc, 0.5), 3),
        ["cores"] = Environment.ProcessorCount,
    },
}));
return 0;
