using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Xunit;

namespace KubeSim.Tests.Testing;

public sealed class FaultInjectorTests : SimTestBase
{
    [Fact]
    public async Task Fail_next_writes_fails_exactly_that_many_writes_of_that_resource()
    {
        var ns = await NewNamespaceAsync();
        Sim.Faults.FailNextWrites("secrets", 2, 409);

        var first = await FailureOf(() => Client.CoreV1.CreateNamespacedSecretAsync(Secret("a"), ns, cancellationToken: Ct));
        await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "unaffected" } }, ns, cancellationToken: Ct);
        var second = await FailureOf(() => Client.CoreV1.CreateNamespacedSecretAsync(Secret("a"), ns, cancellationToken: Ct));
        var third = await Client.CoreV1.CreateNamespacedSecretAsync(Secret("a"), ns, cancellationToken: Ct);

        Assert.Equal((409, "Conflict"), (first.Code, first.Status.Reason));
        Assert.Equal(409, second.Code);
        Assert.Equal("a", third.Metadata.Name);
    }

    [Fact]
    public async Task Fail_next_writes_with_500_is_an_InternalError_and_reads_are_unaffected()
    {
        var ns = await NewNamespaceAsync();
        await Client.CoreV1.CreateNamespacedSecretAsync(Secret("a"), ns, cancellationToken: Ct);
        Sim.Faults.FailNextWrites("secrets", 1);

        await Client.CoreV1.ReadNamespacedSecretAsync("a", ns, cancellationToken: Ct);
        var (code, status) = await FailureOf(() => Client.CoreV1.DeleteNamespacedSecretAsync("a", ns, cancellationToken: Ct));

        Assert.Equal(500, code);
        Assert.Equal("InternalError", status.Reason);
        await Client.CoreV1.ReadNamespacedSecretAsync("a", ns, cancellationToken: Ct);
    }

    [Fact]
    public async Task Status_subresource_faults_only_hit_status_writes()
    {
        var ns = await NewNamespaceAsync();
        await Client.AppsV1.CreateNamespacedDeploymentAsync(Api.Workloads.Deployment("web"), ns, cancellationToken: Ct);
        Sim.Faults.FailNextWrites("deployments/status", 1, 409);

        await Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch("""{"metadata":{"labels":{"x":"y"}}}""", V1Patch.PatchType.MergePatch), "web", ns, cancellationToken: Ct);
        var (code, _) = await FailureOf(() => Client.AppsV1.PatchNamespacedDeploymentStatusAsync(
            new V1Patch("""{"status":{"replicas":1}}""", V1Patch.PatchType.MergePatch), "web", ns, cancellationToken: Ct));

        Assert.Equal(409, code);
    }

    [Fact]
    public async Task Failure_probability_is_reproducible_with_a_seed()
    {
        var ns = await NewNamespaceAsync();

        async Task<string> PatternAsync()
        {
            Sim.Faults.SetFailureProbability(0.5, seed: 42, resource: "configmaps");
            var outcomes = new List<char>();
            for (var i = 0; i < 20; i++)
            {
                try
                {
                    await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { GenerateName = "c-" } }, ns, cancellationToken: Ct);
                    outcomes.Add('+');
                }
                catch (k8s.Autorest.HttpOperationException)
                {
                    outcomes.Add('x');
                }
            }

            return new string([.. outcomes]);
        }

        var first = await PatternAsync();
        var second = await PatternAsync();

        Assert.Equal(first, second);
        Assert.Contains('x', first);
        Assert.Contains('+', first);
    }

    [Fact]
    public async Task Latency_delays_requests()
    {
        var ns = await NewNamespaceAsync();
        Sim.Faults.SetLatency(TimeSpan.FromMilliseconds(300));

        var watch = Stopwatch.StartNew();
        await Client.CoreV1.ListNamespacedSecretAsync(ns, cancellationToken: Ct);

        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(280), watch.Elapsed.ToString());
    }

    [Fact]
    public async Task Watches_are_dropped_after_n_events()
    {
        var ns = await NewNamespaceAsync();
        Sim.Faults.DropWatchesAfter(2);
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var seen = 0;
        using var watcher = Client.CoreV1.WatchListNamespacedSecret(ns, onEvent: (_, _) => Interlocked.Increment(ref seen), onClosed: closed.SetResult);

        for (var i = 0; i < 3; i++)
        {
            await Client.CoreV1.CreateNamespacedSecretAsync(Secret($"s{i}"), ns, cancellationToken: Ct);
        }

        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal(2, Volatile.Read(ref seen));
    }

    [Fact]
    public async Task Forced_gone_fails_the_next_resume_only()
    {
        var ns = await NewNamespaceAsync();
        var created = await Client.CoreV1.CreateNamespacedSecretAsync(Secret("s"), ns, cancellationToken: Ct);
        Sim.Faults.ForceGoneOnNextWatchResume();

        var failed = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        using (Client.CoreV1.WatchListNamespacedSecret(ns, resourceVersion: created.Metadata.ResourceVersion, onEvent: (_, _) => { }, onError: e => failed.TrySetResult(e)))
        {
            var error = Assert.IsType<KubernetesException>(await failed.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct));
            Assert.Equal(410, error.Status.Code);
        }

        var added = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var second = Client.CoreV1.WatchListNamespacedSecret(ns, resourceVersion: created.Metadata.ResourceVersion, onEvent: (_, s) => added.TrySetResult(s.Metadata.Name));
        await Client.CoreV1.CreateNamespacedSecretAsync(Secret("t"), ns, cancellationToken: Ct);
        Assert.Equal("t", await added.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct));
    }

    [Fact]
    public async Task Restart_drops_every_watch()
    {
        var ns = await NewNamespaceAsync();
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await Client.CoreV1.CreateNamespacedSecretAsync(Secret("s"), ns, cancellationToken: Ct);
        using var watcher = Client.CoreV1.WatchListNamespacedSecret(ns, onEvent: (_, _) => started.TrySetResult(), onClosed: closed.SetResult, onError: _ => { });
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        Sim.Faults.Restart();

        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        var list = await Client.CoreV1.ListNamespacedSecretAsync(ns, cancellationToken: Ct);
        Assert.Single(list.Items);
    }

    [Fact]
    public async Task Restart_with_downtime_refuses_every_request_until_the_downtime_ends()
    {
        var ns = await NewNamespaceAsync();
        var downtime = TimeSpan.FromSeconds(1);
        var clock = Stopwatch.StartNew();

        Sim.Faults.Restart(downtime);

        // The connection closes unanswered: a transport error, not an HTTP status.
        await Assert.ThrowsAsync<HttpRequestException>(() => Client.CoreV1.ListNamespacedSecretAsync(ns, cancellationToken: Ct));
        var refusedAt = clock.Elapsed;
        while (true)
        {
            try
            {
                await Client.CoreV1.ListNamespacedSecretAsync(ns, cancellationToken: Ct);
                break;
            }
            catch (HttpRequestException) when (clock.Elapsed < downtime + TimeSpan.FromSeconds(30))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), Ct);
            }
        }

        Assert.True(refusedAt < downtime, $"first request answered after {refusedAt}, so it could not show the refusal");
        Assert.True(clock.Elapsed >= downtime, $"served again after {clock.Elapsed}, before the {downtime} downtime ended");
    }

    [Fact]
    public async Task Faults_can_be_configured_over_the_admin_path()
    {
        var ns = await NewNamespaceAsync();
        using var http = new HttpClient { BaseAddress = Sim.Url };

        using var response = await http.PostAsJsonAsync(new Uri("kubesim/faults", UriKind.Relative),
            new JsonObject { ["failNextWrites"] = new JsonObject { ["resource"] = "secrets", ["count"] = 1, ["code"] = 409 } }, Ct);
        response.EnsureSuccessStatusCode();

        var (code, _) = await FailureOf(() => Client.CoreV1.CreateNamespacedSecretAsync(Secret("a"), ns, cancellationToken: Ct));
        Assert.Equal(409, code);
        using var reset = await http.PostAsJsonAsync(new Uri("kubesim/faults", UriKind.Relative), new JsonObject { ["reset"] = true, ["latencyMs"] = 0 }, Ct);
        reset.EnsureSuccessStatusCode();
        await Client.CoreV1.CreateNamespacedSecretAsync(Secret("a"), ns, cancellationToken: Ct);
    }
}
