using System.Diagnostics;
using System.Globalization;
using ApiKeyOperator.Api;
using ApiKeyOperator.Hosting;
using k8s.Models;
using KubeSim;

namespace ApiKeyOperator.Benchmarks;

/// <summary>
/// <c>failover [--runs N=5] [--outage 5s] [--lease 15s] [--renew 10s] [--retry 2s]</c>: two leader-elected replicas
/// (the shipped timings by default). For each run, measures how long until a newly created ApiKey is Ready after
/// (1) an API server restart (all connections dropped, nothing answers for --outage), counted from when the API
/// answers again, (2) the leader is killed (its Lease left to expire), and (3) the leader stops gracefully (its
/// Lease released). Reports median and max of each.
/// </summary>
public sealed class FailoverBenchmark : IBenchmark
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(30);

    public string Name => "failover";

    public async Task RunAsync(string[] args)
    {
        var flags = new BenchmarkArgs(args, "--runs", "--outage", "--lease", "--renew", "--retry");
        int runs = flags.Int("--runs", 5);
        TimeSpan outage = Duration(flags.String("--outage", "5s"));
        string[] election =
        [
            "--leader-elect", "--leader-election-namespace", "default",
            "--leader-elect-lease-duration", flags.String("--lease", "15s"),
            "--leader-elect-renew-deadline", flags.String("--renew", "10s"),
            "--leader-elect-retry-period", flags.String("--retry", "2s"),
        ];
        using var cancel = new CancellationTokenSource(Deadline);
        var ct = cancel.Token;
        await using var cluster = await BenchCluster.StartAsync(new KubeSimOptions { RunControllers = false }, ct);
        await cluster.Resources<V1Namespace>().CreateAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "failover" } }, ct);
        var replicas = new List<OperatorHost>();
        for (int i = 0; i < 2; i++)
        {
            replicas.Add(await StartReplicaAsync(cluster, election, i, ct));
        }

        var restart = new List<TimeSpan>();
        var leadingAgain = new List<TimeSpan>();
        var kill = new List<TimeSpan>();
        var stop = new List<TimeSpan>();
        for (int run = 0; run < runs; run++)
        {
            await LeaderAsync(replicas, ct);
            cluster.Sim.Faults.Restart(outage);
            await Task.Delay(outage, ct);
            await ApiAnswersAsync(cluster, ct);
            var back = Stopwatch.StartNew();
            var ready = ReadyAsync(cluster, $"restart-{run}", ct);
            await LeaderAsync(replicas, ct);
            leadingAgain.Add(back.Elapsed);
            await ready;
            restart.Add(back.Elapsed);

            foreach (bool graceful in (bool[])[false, true])
            {
                var leader = await LeaderAsync(replicas, ct);
                var clock = Stopwatch.StartNew();
                if (graceful)
                {
                    await leader.StopAsync(ct);
                }
                else
                {
                    await leader.KillAsync();
                }

                await ReadyAsync(cluster, $"{(graceful ? "stop" : "kill")}-{run}", ct);
                (graceful ? stop : kill).Add(clock.Elapsed);
                replicas.Remove(leader);
                replicas.Add(await StartReplicaAsync(cluster, election, replicas.Count + run * 2 + (graceful ? 1 : 0) + 2, ct));
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  run {run + 1}: restart {restart[^1].TotalSeconds:F1}s (leading {leadingAgain[^1].TotalSeconds:F1}s), kill {kill[^1].TotalSeconds:F1}s, stop {stop[^1].TotalSeconds:F1}s"));
        }

        foreach (var replica in replicas)
        {
            await replica.StopAsync(ct);
        }

        var c = CultureInfo.InvariantCulture;
        Console.WriteLine();
        Console.WriteLine($"failover: 2 replicas, {string.Join(' ', election.Skip(3))}, {runs} runs, {Environment.ProcessorCount} cores");
        Console.WriteLine(string.Create(c, $"API restart ({outage.TotalSeconds:F0} s outage), from the API answering again:"));
        Console.WriteLine(Stats("  a replica leads", leadingAgain));
        Console.WriteLine(Stats("  new ApiKey Ready", restart));
        Console.WriteLine(Stats("leader killed -> new ApiKey Ready", kill));
        Console.WriteLine(Stats("leader stopped -> new ApiKey Ready", stop));
    }

    private static async Task<OperatorHost> StartReplicaAsync(BenchCluster cluster, string[] election, int index, CancellationToken ct)
    {
        // A ledger file of its own, as each pod of the shipped two-replica install has.
        string[] args = cluster.OperatorArgs(election);
        args[Array.IndexOf(args, "--ledger-path") + 1] = Path.Combine(cluster.WorkDir, $"ledger-{index}.db");
        return await cluster.StartOperatorAsync(args, ct);
    }

    private static async Task<OperatorHost> LeaderAsync(IReadOnlyList<OperatorHost> replicas, CancellationToken ct)
    {
        while (replicas.Count(r => r.IsReconciling) != 1)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), ct);
        }

        return replicas.Single(r => r.IsReconciling);
    }

    private static async Task ApiAnswersAsync(BenchCluster cluster, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                await cluster.Resources<V1Namespace>().GetAsync(new Runtime.ObjectKey(null, "failover"), ct);
                return;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), ct);
            }
        }
    }

    /// <summary>Creates an ApiKey and waits until it is Ready with a key.</summary>
    private static async Task ReadyAsync(BenchCluster cluster, string name, CancellationToken ct)
    {
        var apiKeys = cluster.Resources<ApiKey>();
        await apiKeys.CreateAsync(new ApiKey { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "failover" }, Spec = new ApiKeySpec { SecretName = $"{name}-key" } }, ct);
        while (await apiKeys.GetAsync(new Runtime.ObjectKey("failover", name), ct) is not { Status.CurrentKeyId: not null } apiKey
               || !Conditions.IsTrue(apiKey.Status.Conditions, ConditionTypes.Ready))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), ct);
        }
    }

    private static string Stats(string what, List<TimeSpan> samples)
    {
        var sorted = samples.Order().ToList();
        return string.Create(CultureInfo.InvariantCulture, $"{what,-36} median {sorted[sorted.Count / 2].TotalSeconds,5:F1} s   max {sorted[^1].TotalSeconds,5:F1} s");
    }

    private static TimeSpan Duration(string text) =>
        GoDuration.TryParse(text, out var value) ? value : throw new ArgumentException($"'{text}' is not a duration");
}
