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
/// Floors, in the same run: for K targets, the K Deployments patched directly (a pod-template annotation each) until
/// all are Ready again, the least a rotation must wait for; for queued rotations, as many direct merge patches of
/// one object, one after another. The last line is the <see cref="BenchmarkResult"/> of the last K (or N).
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
        BenchmarkResult? result = null;
        Console.WriteLine(string.Create(c, $"rotation: Graceful, gracePeriod 0s, Deployments of 1 replica, pod Ready after {cluster.Sim.Options.PodReadyDelay.TotalMilliseconds:F0} ms, {Environment.ProcessorCount} cores"));
        Console.WriteLine($"operator flags: {string.Join(' ', cluster.OperatorArgs().Select(a => a.StartsWith('/') ? "<temp>" : a))}");
        foreach (var targets in targetCounts)
        {
            var ns = $"rot-{targets}";
            await PrepareAsync(cluster, ns, targets, ct);
            var delays = new List<TimeSpan>();
            var writes = new List<WriteBreakdown>();
            var conflicts = new List<int>();
            var durations = new List<TimeSpan>();
            for (var i = 0; i < rotations; i++)
            {
                var name = $"rotate-{i}";
                cluster.Sim.Requests.Reset();
                using var watch = new RotationWatch(cluster.Sim, ns, name);
                var rotating = System.Diagnostics.Stopwatch.StartNew();
                await cluster.Resources<ApiKeyRotation>().CreateAsync(
                    new ApiKeyRotation { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns }, Spec = new ApiKeyRotationSpec { ApiKeyName = "svc", GracePeriod = "0s" } },
                    ct);
                await watch.Succeeded.WaitAsync(ct);
                durations.Add(rotating.Elapsed);
                await BenchCluster.WaitForIdleAsync(host, "apikeyrotation", 0, ct);
                delays.Add(watch.AdvanceDelay(targets));
                // The operator's writes only: the benchmark's own create of the rotation is left out.
                var ours = cluster.Sim.Requests.Snapshot().Where(r => r.Namespace == ns && !(r.Verb == "create" && r.Resource == ApiKeyRotation.KubePlural)).ToList();
                writes.Add(WriteBreakdown.Of(ours));
                conflicts.Add(ours.Count(r => r.StatusCode == 409));
            }

            var floors = new List<TimeSpan>();
            for (var i = 0; i < rotations; i++)
            {
                floors.Add(await DirectRolloutAsync(cluster, ns, targets, i, ct));
            }

            Report(targets, delays, writes);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  409 Conflicts            {conflicts.Sum()} in {conflicts.Count} rotations"));
            var value = Median(durations);
            var floor = Median(floors);
            Console.WriteLine(string.Create(c, $"  rotation (create -> Succeeded) median {value.TotalMilliseconds:F0} ms; floor (K direct patches until Ready) median {floor.TotalMilliseconds:F0} ms"));
            result = new BenchmarkResult(
                Name,
                Math.Round(value.TotalMilliseconds, 1),
                "ms",
                Math.Round(floor.TotalMilliseconds, 1),
                Math.Round(value / floor, 3),
                new Dictionary<string, object>
                {
                    ["targets"] = targets,
                    ["rotations"] = rotations,
                    ["writes_per_rotation"] = Math.Round(writes.Average(w => w.Total), 1),
                    ["floor_writes_per_rotation"] = targets,
                    ["conflicts"] = conflicts.Sum(),
                    ["cores"] = Environment.ProcessorCount,
                });
        }

        await host.StopAsync(ct);
        result?.Print();
    }

    private static TimeSpan Median(List<TimeSpan> samples) => samples.Order().ElementAt(samples.Count / 2);

    /// <summary>The floor of a rotation with K dependents: each Deployment patched directly, then all Ready on the new template.</summary>
    private static async Task<TimeSpan> DirectRolloutAsync(BenchCluster cluster, string ns, int targets, int round, CancellationToken ct)
    {
        var deployments = cluster.Resources<V1Deployment>();
        var marker = round.ToString(CultureInfo.InvariantCulture);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < targets; i++)
        {
            await deployments.PatchAsync(new Runtime.ObjectKey(ns, $"app-{i:D2}"),
                "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\"bench.apikeyoperator.io/floor\":\"" + marker + "\"}}}}}", ct);
        }

        while (!(await deployments.ListAsync(ns, null, ct)).Items.All(d =>
                   d.Spec.Template.Metadata.Annotations is { } annotations && annotations.TryGetValue("bench.apikeyoperator.io/floor", out var seen) && seen == marker
                   && RolloutReadiness.Evaluate(d).IsReady))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(5), ct);
        }

        return clock.Elapsed;
    }

    /// <summary>N rotations of one ApiKey created at once: time to finish them all, writes, and rewrites of waiting rotations.</summary>
    private static async Task QueuedAsync(int[] counts)
    {
        using var cancel = new CancellationTokenSource(Deadline);
        var ct = cancel.Token;
        var c = CultureInfo.InvariantCulture;
        BenchmarkResult? result = null;
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

            // The floor: one direct merge patch per rotation, one after another, of an object nothing reconciles.
            var floorKey = new Runtime.ObjectKey(ns, "floor");
            await cluster.Resources<V1ConfigMap>().CreateAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = floorKey.Name, NamespaceProperty = ns } }, ct);
            var patching = System.Diagnostics.Stopwatch.StartNew();
            for (var i = 0; i < count; i++)
            {
                await cluster.Resources<V1ConfigMap>().PatchAsync(floorKey, $$$"""{"data":{"round":"{{{i}}}"}}""", ct);
            }

            var floor = patching.Elapsed;
            Console.WriteLine(string.Create(c, $"  floor: {count} direct patches in {floor.TotalMilliseconds:F0} ms ({floor.TotalMilliseconds / count:F2} ms each)"));
            result = new BenchmarkResult(
                "rotation-queued",
                Math.Round(elapsed.TotalMilliseconds / count, 2),
                "ms/rotation",
                Math.Round(floor.TotalMilliseconds / count, 2),
                Math.Round(elapsed / floor, 3),
                new Dictionary<string, object>
                {
                    ["queued"] = count,
                    ["writes_per_rotation"] = Math.Round((double)writes.Total / count, 1),
                    ["rotation_status_writes_per_rotation"] = Math.Round((double)rotationStatusWrites / count, 1),
                    ["conflicts"] = log.Count(r => r.StatusCode == 409),
                    ["cores"] = Environment.ProcessorCount,
                });
            await host.StopAsync(ct);
        }

        result?.Print();
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
