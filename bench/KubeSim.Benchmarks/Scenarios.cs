using System.Diagnostics;
using k8s;
using k8s.Models;

namespace KubeSim.Benchmarks;

/// <summary>The measured scenarios, each against a fresh KubeSim over HTTP with KubernetesClient.</summary>
internal static class Scenarios
{
    private const string Namespace = "bench";

    public static async Task<Measurement> CreatesAsync(IKubernetes client, int count, int parallelism, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        await ForEachAsync(count, parallelism, i => client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap($"c{i}", "0"), Namespace, cancellationToken: ct), ct);
        return new Measurement($"create ConfigMap ({parallelism} clients)", count, watch.Elapsed);
    }

    public static async Task<Measurement> UpdatesAsync(IKubernetes client, int count, int parallelism, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        await ForEachAsync(count, parallelism, i => client.CoreV1.ReplaceNamespacedConfigMapAsync(ConfigMap($"c{i}", "1"), $"c{i}", Namespace, cancellationToken: ct), ct);
        return new Measurement($"update ConfigMap (PUT, {parallelism} clients)", count, watch.Elapsed);
    }

    /// <summary>Events per second delivered to all watchers together while one writer creates objects.</summary>
    public static async Task<Measurement> WatchFanOutAsync(IKubernetes client, int count, int watchers, CancellationToken ct)
    {
        var start = await client.CoreV1.ListNamespacedSecretAsync(Namespace, cancellationToken: ct);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var ready = Enumerable.Range(0, watchers).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        var readers = Enumerable.Range(0, watchers).Select(w => Task.Run(async () =>
        {
            var seen = 0;
            // A bookmark-free watch from the list's version: the first event it sees is the warm-up secret.
            await foreach (var _ in client.CoreV1.WatchListNamespacedSecretAsync(Namespace, resourceVersion: start.Metadata.ResourceVersion, cancellationToken: stop.Token))
            {
                if (seen++ == 0)
                {
                    ready[w].TrySetResult();
                }
                else if (seen == count + 1)
                {
                    return seen - 1;
                }
            }

            return seen - 1;
        }, ct)).ToArray();

        await client.CoreV1.CreateNamespacedSecretAsync(Secret("warm-up"), Namespace, cancellationToken: ct);
        await Task.WhenAll(ready.Select(r => r.Task)).WaitAsync(TimeSpan.FromSeconds(30), ct);

        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            await client.CoreV1.CreateNamespacedSecretAsync(Secret($"s{i}"), Namespace, cancellationToken: ct);
        }

        var delivered = await Task.WhenAll(readers).WaitAsync(TimeSpan.FromMinutes(5), ct);
        var elapsed = watch.Elapsed;
        await stop.CancelAsync();
        return new Measurement($"watch fan-out ({watchers} watchers, events delivered)", delivered.Sum(), elapsed);
    }

    /// <summary>
    /// Write latency with <paramref name="objects"/> objects stored: creates them (8 clients), then times each of
    /// <paramref name="count"/> updates (8 clients) one by one. Returns the sorted latencies in milliseconds.
    /// </summary>
    public static async Task<double[]> UpdateLatenciesAsync(IKubernetes client, int objects, int count, CancellationToken ct)
    {
        await ForEachAsync(objects, 8, i => client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap($"o{i}", "0"), Namespace, cancellationToken: ct), ct);
        var latencies = new double[count];
        await ForEachAsync(count, 8, async i =>
        {
            var started = Stopwatch.GetTimestamp();
            await client.CoreV1.ReplaceNamespacedConfigMapAsync(ConfigMap($"o{i % objects}", $"{i + 1}"), $"o{i % objects}", Namespace, cancellationToken: ct);
            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }, ct);
        Array.Sort(latencies);
        return latencies;
    }

    /// <summary>Runs every code path once (JIT, connection pool) so the first measured scenario is not penalised.</summary>
    public static async Task WarmUpAsync(IKubernetes client, CancellationToken ct)
    {
        for (var i = 0; i < 200; i++)
        {
            var created = await client.CoreV1.CreateNamespacedSecretAsync(Secret($"warm-{i}"), Namespace, cancellationToken: ct);
            await client.CoreV1.ReplaceNamespacedSecretAsync(created, created.Metadata.Name, Namespace, cancellationToken: ct);
            await client.CoreV1.DeleteNamespacedSecretAsync(created.Metadata.Name, Namespace, cancellationToken: ct);
        }
    }

    public static Task PrepareAsync(IKubernetes client, CancellationToken ct) =>
        client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Namespace } }, cancellationToken: ct);

    private static V1ConfigMap ConfigMap(string name, string value) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["bench"] = "true" } },
        Data = new Dictionary<string, string> { ["value"] = value, ["payload"] = new string('x', 256) },
    };

    private static V1Secret Secret(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        StringData = new Dictionary<string, string> { ["token"] = name },
    };

    private static Task ForEachAsync(int count, int parallelism, Func<int, Task> body, CancellationToken ct) =>
        Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct }, async (i, _) => await body(i));
}
