using System.Net;
using ApiKeyOperator.Hosting;
using ApiKeyOperator.Runtime;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace ApiKeyOperator.Tests.Runtime;

public sealed class OperatorHostKubeSimTests
{
    private static readonly HttpClient Http = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Host_reconciles_primary_objects_and_owners_of_owned_objects()
    {
        await using var env = await SimEnvironment.StartAsync();
        var reconciler = new RecordingReconciler();
        var owner = await InformerKubeSimTests.CreateConfigMapAsync(env, "default", "owner");
        await using var host = await env.StartHostAsync(s => AddConfigMapController(s, reconciler));

        await Poll.UntilAsync(() => reconciler.Saw("owner"), what: "primary reconciled");
        var before = reconciler.Seen.Count(k => k.Name == "owner");
        await env.Client.CoreV1.CreateNamespacedSecretAsync(
            new V1Secret
            {
                Metadata = new V1ObjectMeta
                {
                    Name = "owned",
                    Labels = new Dictionary<string, string> { ["test/owned"] = "true" },
                    OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "owner", Uid = owner.Metadata.Uid, Controller = true }],
                },
            },
            "default",
            cancellationToken: Ct);

        await Poll.UntilAsync(() => reconciler.Seen.Count(k => k.Name == "owner") > before, what: "owner reconciled for its Secret");
        Assert.DoesNotContain(reconciler.Seen, k => k.Name == "owned");
    }

    [Fact]
    public async Task Readyz_lists_checks_and_passes_once_informers_synced_and_metrics_use_controller_runtime_names()
    {
        await using var env = await SimEnvironment.StartAsync();
        var reconciler = new RecordingReconciler();
        await InformerKubeSimTests.CreateConfigMapAsync(env, "default", "one");
        await using var host = await env.StartHostAsync(s => AddConfigMapController(s, reconciler), "--max-concurrent-reconciles", "3");
        Assert.NotNull(host.HealthUrl);
        Assert.NotNull(host.MetricsUrl);
        Assert.NotEqual(0, host.HealthUrl!.Port);

        Assert.Equal("ok", await Http.GetStringAsync(new Uri(host.HealthUrl, "healthz"), Ct));
        string readyz = string.Empty;
        await Poll.UntilAsync(async () =>
        {
            using var response = await Http.GetAsync(new Uri(host.HealthUrl, "readyz"), Ct);
            readyz = await response.Content.ReadAsStringAsync(Ct);
            return response.StatusCode == HttpStatusCode.OK;
        }, what: "readyz 200");
        Assert.Contains("[+]informers ok: configmaps.core synced, secrets.core [test/owned] synced", readyz, StringComparison.Ordinal);
        Assert.EndsWith("readyz check passed\n", readyz, StringComparison.Ordinal);

        await Poll.UntilAsync(() => reconciler.Saw("one"), what: "reconciled");
        var metrics = await Http.GetStringAsync(new Uri(host.MetricsUrl!, "metrics"), Ct);
        Assert.Contains("controller_runtime_reconcile_total{controller=\"configmap\",result=\"success\"}", metrics, StringComparison.Ordinal);
        Assert.Contains("controller_runtime_reconcile_errors_total{controller=\"configmap\"} 0", metrics, StringComparison.Ordinal);
        Assert.Contains("controller_runtime_max_concurrent_reconciles{controller=\"configmap\"} 3", metrics, StringComparison.Ordinal);
        string[] names =
        [
            "controller_runtime_reconcile_time_seconds_bucket", "controller_runtime_active_workers", "workqueue_depth{name=\"configmap\"}",
            "workqueue_adds_total{name=\"configmap\"}", "workqueue_queue_duration_seconds_bucket", "workqueue_work_duration_seconds_bucket",
            "workqueue_retries_total{name=\"configmap\"}", "workqueue_unfinished_work_seconds{name=\"configmap\"}",
            "workqueue_longest_running_processor_seconds{name=\"configmap\"}", "process_working_set_bytes",
        ];
        Assert.All(names, name => Assert.Contains(name, metrics, StringComparison.Ordinal));

        var custom = host.Metrics.Factory.CreateCounter("apikey_rotations_total", "Rotations by result", ["result"]);
        custom.WithLabels("succeeded").Inc();
        Assert.Contains("apikey_rotations_total{result=\"succeeded\"} 1", await Http.GetStringAsync(new Uri(host.MetricsUrl!, "metrics"), Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Zero_disables_the_servers_and_two_hosts_keep_separate_registries()
    {
        await using var env = await SimEnvironment.StartAsync();
        await using var first = await env.StartHostAsync(null, "--metrics-bind-address", "0");
        await using var second = await env.StartHostAsync(null);

        Assert.Null(first.MetricsUrl);
        Assert.NotNull(first.HealthUrl);
        first.Metrics.Factory.CreateGauge("only_in_first", "test").Set(1);
        Assert.DoesNotContain("only_in_first", await Http.GetStringAsync(new Uri(second.MetricsUrl!, "metrics"), Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Modules_read_their_flags_when_the_host_starts()
    {
        await using var env = await SimEnvironment.StartAsync();
        var module = new FlagModule();
        string[] args = ["--kubeconfig", env.Kubeconfig, "--metrics-bind-address", "0", "--health-probe-bind-address", "0"];

        await using var withFlag = await OperatorHost.StartAsync([.. args, "--ledger-path", "/data/ledger.db"], [module], cancellationToken: Ct);
        await using var withDefault = await OperatorHost.StartAsync(OperatorCommands.ParseRunOptions(args) with { CommandLine = null }, [module], cancellationToken: Ct);

        Assert.Equal("/data/ledger.db", withFlag.Services.GetRequiredService<FlagModule.Location>().Path);
        Assert.Equal("ledger.db", withDefault.Services.GetRequiredService<FlagModule.Location>().Path);
        Assert.Null(withFlag.HealthUrl);
    }

    [Fact]
    public async Task Graceful_stop_lets_the_reconcile_in_flight_finish()
    {
        await using var env = await SimEnvironment.StartAsync();
        var reconciler = new RecordingReconciler();
        reconciler.Hold();
        var host = await env.StartHostAsync(s => AddConfigMapController(s, reconciler));
        await InformerKubeSimTests.CreateConfigMapAsync(env, "default", "slow");
        await Poll.UntilAsync(() => reconciler.InFlight == 1, what: "reconcile in flight");

        var stopping = host.StopAsync(Ct);
        Assert.False(stopping.IsCompleted);
        reconciler.Release();
        await stopping.WaitAsync(Poll.Deadline, Ct);

        Assert.True(reconciler.Saw("slow"));
        Assert.Equal(0, reconciler.Cancelled);
    }

    [Fact]
    public async Task Graceful_stop_cancels_reconciles_that_outlive_the_deadline()
    {
        await using var env = await SimEnvironment.StartAsync();
        var reconciler = new RecordingReconciler();
        reconciler.Hold();
        var host = await env.StartHostAsync(s => AddConfigMapController(s, reconciler), "--graceful-shutdown-timeout", "200ms");
        await InformerKubeSimTests.CreateConfigMapAsync(env, "default", "stuck");
        await Poll.UntilAsync(() => reconciler.InFlight == 1, what: "reconcile in flight");

        await host.StopAsync(Ct).WaitAsync(Poll.Deadline, Ct);

        Assert.Equal(1, reconciler.Cancelled);
        Assert.False(reconciler.Saw("stuck"));
    }

    [Fact]
    public async Task Kill_cancels_reconciles_at_once_and_blocks_every_further_api_write()
    {
        await using var env = await SimEnvironment.StartAsync();
        var reconciler = new RecordingReconciler();
        reconciler.Hold();
        var capture = new CapturingLoggerProvider();
        var host = await env.StartHostAsync(
            s =>
            {
                AddConfigMapController(s, reconciler);
                s.AddSingleton<ILoggerProvider>(capture);
            },
            "--log-level",
            "info");
        await InformerKubeSimTests.CreateConfigMapAsync(env, "default", "victim");
        await Poll.UntilAsync(() => reconciler.InFlight == 1, what: "reconcile in flight");
        var client = host.Services.GetRequiredService<IResourceClient<V1ConfigMap>>();

        await host.KillAsync().WaitAsync(Poll.Deadline, Ct);

        await Poll.UntilAsync(() => reconciler.Cancelled == 1, what: "reconcile cancelled");
        var writesBefore = env.Sim.Requests.Writes();
        await Assert.ThrowsAnyAsync<Exception>(() => client.CreateAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "late", NamespaceProperty = "default" } }, Ct));
        Assert.Equal(writesBefore, env.Sim.Requests.Writes());
        Assert.Contains(capture.Lines, l => l.Contains("Operator started as", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_kill_between_two_writes_keeps_the_first_and_prevents_the_second_and_a_restart_finishes()
    {
        await using var env = await SimEnvironment.StartAsync();
        OperatorHost? crashing = null;
        var crashAfterSecret = new CrashAfterHandler(
            r => r.Method == HttpMethod.Post && r.RequestUri!.AbsolutePath.EndsWith("/secrets", StringComparison.Ordinal),
            () => _ = crashing!.KillAsync());
        crashing = await env.StartHostAsync(s => s
            .AddSingleton(new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(env.Kubeconfig), crashAfterSecret))
            .AddController<V1ConfigMap, TwoWriteReconciler>());

        await InformerKubeSimTests.CreateConfigMapAsync(env, "default", "cm");

        await Poll.UntilAsync(() => env.Sim.Requests.Count("create", "secrets", statusCode: 201) == 1, what: "first write done");
        var marked = () => env.Client.CoreV1.ReadNamespacedConfigMapAsync("cm", "default", cancellationToken: Ct)
            .ContinueWith(t => t.Result.Metadata.Annotations?.ContainsKey("test/done") == true, Ct, TaskContinuationOptions.None, TaskScheduler.Default);
        Assert.False(await marked());
        Assert.Equal(0, env.Sim.Requests.Count("patch", "configmaps"));

        await using var restarted = await env.StartHostAsync(s => s.AddController<V1ConfigMap, TwoWriteReconciler>());
        await Poll.UntilAsync(marked, what: "restart finishes the reconcile");
        Assert.Equal(1, env.Sim.Requests.Count("create", "secrets"));
    }

    [Fact]
    public async Task Failing_reconciles_are_retried_and_counted_as_errors()
    {
        await using var env = await SimEnvironment.StartAsync();
        await InformerKubeSimTests.CreateConfigMapAsync(env, "default", "flaky");
        var reconciler = new FlakyReconciler();
        await using var host = await env.StartHostAsync(s => s.AddSingleton(reconciler).AddController<V1ConfigMap, FlakyReconciler>());

        await Poll.UntilAsync(() => reconciler.Calls >= 3, what: "retried after failures");
        var metrics = await Http.GetStringAsync(new Uri(host.MetricsUrl!, "metrics"), Ct);
        Assert.Contains("controller_runtime_reconcile_errors_total{controller=\"configmap\"} 2", metrics, StringComparison.Ordinal);
        Assert.Contains("workqueue_retries_total{name=\"configmap\"} 2", metrics, StringComparison.Ordinal);
    }

    internal static void AddConfigMapController(IServiceCollection services, RecordingReconciler reconciler) =>
        services.AddSingleton(reconciler).AddController<V1ConfigMap, RecordingReconciler>(b => b.Owns<V1Secret>(labelSelector: "test/owned"));

    private sealed class FlakyReconciler : IReconciler<V1ConfigMap>
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken) =>
            key.Name != "flaky" || Interlocked.Increment(ref _calls) > 2
                ? Task.FromResult(ReconcileResult.Done)
                : throw new InvalidOperationException("transient");
    }
}
