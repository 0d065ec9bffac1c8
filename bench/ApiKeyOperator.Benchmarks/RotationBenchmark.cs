using System.Globalization;
using ApiKeyOperator.Api;
using ApiKeyOperator.Rollouts;
using k8s.Models;
using KubeSim;

namespace ApiKeyOperator.Benchmarks;

/// <summary>
/// <c>rotation [--targets K] [--rotations R=5]</c>: Graceful rotations (gracePeriod 0s) of an ApiKey read by K
/// Deployments (K = 1, 5, 10 and 20 unless given). Reports the operator's API writes per rotation and per target,
/// the 409 Conflicts among them, and how long after the last Deployment became Ready on the new key the rotation
/// left RollingOut (watch-driven: it must be far below a second).
/// <c>rotation --queued N[,M…]</c>: N rotations created at once for one ApiKey with no dependents; reports the time
/// until all succeeded, per rotation (linear cost: the same for 100 and 1000), the operator's writes per rotation,
/// and the status writes of rotations while they waited (a waiting rotation is written once, never per head change).
/// </summary>
public sealed class RotationBenchmark : IBenchmark
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(20);

    public string Name => "rotation";

    public async Task RunAsync(string[] args)
    {
        var flags = new BenchmarkArgs(args, "--targets", "--rotations", "--queued");
        if (args.Contains("--queued"))
        {
            await QueuedAsync([.. flags.String("--queued", "100,1000").Split(',').Select(n => int.Parse(n, CultureInfo.InvariantCulture))]);
            return;
        }

        int[] targetCounts = args.Contains("--targets") ? [flags.Int("--targets", 1)] : [1, 5, 10, 20];
        var rotations = flags.Int("--rotations", 5);
        using var cancel = new CancellationTokenSource(Deadline);
        var ct = cancel.Token;

        await using var cluster = await BenchCluster.StartAsync(new KubeSimOptions(), ct);
        var host = await cluster.StartOperatorAsync(cluster.OperatorArgs(), ct);
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c, $"rotation: Graceful, gracePeriod 0s, Deployments of 1 replica, pod Ready after {cluster.Sim.Options.PodReadyDelay.TotalMilliseconds:F0} ms, {Environment.ProcessorCount} cores"));
        Console.WriteLine($"operator flags: {string.Join(' ', cluster.OperatorArgs().Select(a => a.StartsWith('/') ? "<temp>" : a))}");
        foreach (var targets in targetCounts)
        {
            var ns = $"rot-{targets}";
            await PrepareAsync(cluster, ns, targets, ct);
            var delays = new List<TimeSpan>();
            var writes = new List<WriteBreakdown>();
            var conflicts = new List<int>();
            for (var i = 0; i < rotations; i++)
            {
                var name = $"rotate-{i}";
                cluster.Sim.Requests.Reset();
                using var watch = new RotationWatch(cluster.Sim, ns, name);
                await cluster.Resources<ApiKeyRotation>().CreateAsync(
                    new ApiKeyRotation { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns }, Spec = new ApiKeyRotationSpec { ApiKeyName = "svc", GracePeriod = "0s" } },
                    ct);
                await watch.Succeeded.WaitAsync(ct);
                await BenchCluster.WaitForIdleAsync(host, "apikeyrotation", 0, ct);
                delays.Add(watch.AdvanceDelay(targets));
                // The operator's writes only: the benchmark's own create of the rotation is left out.
                var ours = cluster.Sim.Requests.Snapshot().Where(r => r.Namespace == ns && !(r.Verb == "create" && r.Resource == ApiKeyRotation.KubePlural)).ToList();
                writes.Add(WriteBreakdown.Of(ours));
                conflicts.Add(ours.Count(r => r.StatusCode == 409));
            }

            Report(targets, delays, writes);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  409 Conflicts            {conflicts.Sum()} in {conflicts.Count} rotations"));
        }

        await host.StopAsync(ct);
    }

    /// <summary>N rotations of one ApiKey created at once: time to finish them all, writes, and rewrites of waiting rotations.</summary>
    private static async Task QueuedAsync(int[] counts)
    {
        using var cancel = new CancellationTokenSource(Deadline);
        var ct = cancel.Token;
        var c = CultureInfo.InvariantCulture;
        foreach (var count in counts)
        {
            await using var cluster = await BenchCluster.StartAsync(new KubeSimOptions(), ct);
            var host = await cluster.StartOperatorAsync(cluster.OperatorArgs(), ct);
            var ns = "queued";
            await PrepareAsync(cluster, ns, 0, ct);
            cluster.Sim.Requests.Reset();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            for (var i = 0; i < count; i++)
            {
                await cluster.Resources<ApiKeyRotation>().CreateAsync(
                    new ApiKeyRotation { Metadata = new V1ObjectMeta { Name = $"q-{i:D4}", NamespaceProperty = ns }, Spec = new ApiKeyRotationSpec { ApiKeyName = "svc", GracePeriod = "0s" } },
                    ct);
            }

            while ((await cluster.Resources<ApiKeyRotation>().ListAsync(ns, null, ct)).Items.Count(r => r.Status?.Phase == RotationPhases.Succeeded) < count)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), ct);
            }

            var elapsed = clock.Elapsed;
            var log = cluster.Sim.Requests.Snapshot().Where(r => r.Namespace == ns && !(r.Verb == "create" && r.Resource == ApiKeyRotation.KubePlural)).ToList();
            var writes = WriteBreakdown.Of(log);
            // A rotation is written Pending once; every further write of a rotation still Pending would be a rewrite.
            var rotationStatusWrites = log.Count(r => r.Resource == ApiKeyRotation.KubePlural && r.Subresource == "status" && r.Verb is "update" or "patch");
            Console.WriteLine();
            Console.WriteLine(string.Create(c, $"{count} rotations queued for one ApiKey (no dependents, gracePeriod 0s), {Environment.ProcessorCount} cores"));
            Console.WriteLine(string.Create(c, $"  all Succeeded after      {elapsed.TotalSeconds:F1} s  ({elapsed.TotalMilliseconds / count:F1} ms per rotation)"));
            Console.WriteLine(string.Create(c, $"  operator writes          {writes.Total} ({(double)writes.Total / count:F1} per rotation); rotation status writes {(double)rotationStatusWrites / count:F1} per rotation; 409 Conflicts {log.Count(r => r.StatusCode == 409)}"));
            foreach (var (what, n) in writes.ByVerbAndResource)
            {
                Console.WriteLine(string.Create(c, $"    {what,-34} {(double)n / count,6:F1}/rotation"));
            }

            await host.StopAsync(ct);
        }
    }

    private static async Task PrepareAsync(BenchCluster cluster, string ns, int targets, CancellationToken ct)
    {
        await cluster.Resources<V1Namespace>().CreateAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } }, ct);
        await cluster.Resources<ApiKey>().CreateAsync(new ApiKey { Metadata = new V1ObjectMeta { Name = "svc", NamespaceProperty = ns }, Spec = new ApiKeySpec { SecretName = "svc-key" } }, ct);
        for (var i = 0; i < targets; i++)
        {
            var name = $"app-{i:D2}";
            await cluster.Resources<V1Deployment>().CreateAsync(new V1Deployment
            {
                Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
                Spec = new V1DeploymentSpec
                {
                    Replicas = 1,
                    Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
                    Template = new V1PodTemplateSpec
                    {
                        Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                        Spec = new V1PodSpec
                        {
                            Containers = [new V1Container { Name = "app", Image = "app:1", EnvFrom = [new V1EnvFromSource { SecretRef = new V1SecretEnvSource { Name = "svc-key" } }] }],
                        },
                    },
                },
            }, ct);
        }

        while (!await ReadyAsync(cluster, ns, targets, ct))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), ct);
        }
    }

    private static async Task<bool> ReadyAsync(BenchCluster cluster, string ns, int targets, CancellationToken ct)
    {
        var apiKey = await cluster.Resources<ApiKey>().GetAsync(new Runtime.ObjectKey(ns, "svc"), ct);
        var deployments = (await cluster.Resources<V1Deployment>().ListAsync(ns, null, ct)).Items;
        return apiKey?.Status?.CurrentKeyId is not null
            && deployments.Count == targets
            && deployments.All(d => RolloutReadiness.Evaluate(d).IsReady);
    }

    private static void Report(int targets, List<TimeSpan> delays, List<WriteBreakdown> writes)
    {
        var c = CultureInfo.InvariantCulture;
        var perRotation = writes.Average(w => w.Total);
        var sorted = delays.Select(d => d.TotalMilliseconds).Order().ToList();
        Console.WriteLine();
        Console.WriteLine(string.Create(c, $"K={targets} targets, {writes.Count} rotations"));
        Console.WriteLine(string.Create(c, $"  API writes per rotation  {perRotation:F1}  ({perRotation / targets:F2} per target; min {writes.Min(w => w.Total)}, max {writes.Max(w => w.Total)})"));
        foreach (var (what, count) in writes.SelectMany(w => w.ByVerbAndResource).GroupBy(p => p.What).Select(g => (g.Key, g.Sum(p => p.Count))).OrderByDescending(p => p.Item2))
        {
            Console.WriteLine(string.Create(c, $"    {what,-34} {(double)count / writes.Count,6:F1}/rotation"));
        }

        Console.WriteLine(string.Create(c, $"  last target Ready -> phase advanced: median {sorted[sorted.Count / 2]:F1} ms, max {sorted[^1]:F1} ms"));
    }
}
