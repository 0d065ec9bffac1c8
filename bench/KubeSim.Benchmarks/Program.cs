// KubeSim throughput over HTTP with KubernetesClient: creates, updates, and watch fan-out to 10 watchers.
// Run: dotnet run -c Release --project bench/KubeSim.Benchmarks -- --count 2000
using System.Globalization;
using KubeSim;
using KubeSim.Benchmarks;

// KubeSim throughput over HTTP with KubernetesClient: creates, updates, and watch fan-out to 10 watchers.
var count = args is ["--count", var n] ? int.Parse(n, CultureInfo.InvariantCulture) : 2000;
using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(10));
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

Console.WriteLine($"KubeSim throughput, {count} objects per scenario, {Environment.ProcessorCount} cores");
Console.WriteLine();
Console.WriteLine($"| {"scenario",-48} | {"operations",10} | {"seconds",8} | {"per second",10} |");
Console.WriteLine($"|{new string('-', 50)}|{new string('-', 12)}|{new string('-', 10)}|{new string('-', 12)}|");
foreach (var r in results)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {r.Name,-48} | {r.Operations,10} | {r.Elapsed.TotalSeconds,8:F2} | {r.PerSecond,10:F0} |"));
}

return 0;
