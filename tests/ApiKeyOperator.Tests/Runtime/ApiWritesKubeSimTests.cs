using ApiKeyOperator.Runtime;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace ApiKeyOperator.Tests.Runtime;

public sealed class ApiWritesKubeSimTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Repeated_events_are_aggregated_into_one_Event_with_a_count()
    {
        await using var env = await SimEnvironment.StartAsync();
        var subject = await InformerKubeSimTests.CreateConfigMapAsync(env, "default", "subject");
        var recorder = new EventRecorder(env.NewTransport(), TimeProvider.System, NullLogger<EventRecorder>.Instance,
            new EventRecorderOptions { Instance = "replica-1" });

        await recorder.WarningAsync(subject, "SecretConflict", "Secret s is owned by someone else", Ct);
        await recorder.WarningAsync(subject, "SecretConflict", "Secret s is owned by someone else", Ct);
        await recorder.WarningAsync(subject, "SecretConflict", "Secret s is owned by someone else", Ct);
        await recorder.NormalAsync(subject, "Issued", "Issued key 3f9a1c2e", Ct);
        await recorder.FlushAsync(Poll.Deadline);

        var events = (await env.Client.CoreV1.ListNamespacedEventAsync("default", cancellationToken: Ct)).Items
            .Where(e => e.InvolvedObject.Name == "subject").OrderBy(e => e.Reason).ToList();
        Assert.Equal(2, events.Count);
        var issued = events[0];
        var conflict = events[1];
        Assert.Equal(("Issued", "Normal", 1), (issued.Reason, issued.Type, issued.Count));
        Assert.Equal(("SecretConflict", "Warning", 3), (conflict.Reason, conflict.Type, conflict.Count));
        Assert.Equal("apikey-operator", conflict.ReportingComponent);
        Assert.Equal("apikey-operator", conflict.Source.Component);
        Assert.Equal("replica-1", conflict.ReportingInstance);
        Assert.Equal(("v1", "ConfigMap", subject.Metadata.Uid, subject.Metadata.ResourceVersion),
            (conflict.InvolvedObject.ApiVersion, conflict.InvolvedObject.Kind, conflict.InvolvedObject.Uid, conflict.InvolvedObject.ResourceVersion));
        Assert.True(conflict.LastTimestamp >= conflict.FirstTimestamp);
        Assert.Equal(2, env.Sim.Requests.Count("create", "events"));
        Assert.Equal(2, env.Sim.Requests.Count("patch", "events"));
    }

    [Fact]
    public async Task Event_failures_are_swallowed()
    {
        await using var env = await SimEnvironment.StartAsync();
        var subject = await InformerKubeSimTests.CreateConfigMapAsync(env, "default", "subject");
        var recorder = new EventRecorder(env.NewTransport(), TimeProvider.System, NullLogger<EventRecorder>.Instance);
        env.Sim.Faults.FailNextWrites("events", 1);

        await recorder.NormalAsync(subject, "Issued", "first", Ct);
        await recorder.NormalAsync(subject, "Issued", "second", Ct);
        await recorder.FlushAsync(Poll.Deadline);

        var events = (await env.Client.CoreV1.ListNamespacedEventAsync("default", cancellationToken: Ct)).Items;
        Assert.Equal(["second"], events.Select(e => e.Message));
    }

    [Fact]
    public async Task Status_writer_reapplies_the_mutation_after_a_conflict()
    {
        await using var env = await SimEnvironment.StartAsync();
        var deployment = await CreateDeploymentAsync(env, "web");
        var stale = deployment;
        await env.Client.AppsV1.PatchNamespacedDeploymentStatusAsync(
            new V1Patch("""{"status":{"replicas":7}}""", V1Patch.PatchType.MergePatch), "web", "default", cancellationToken: Ct);
        var writer = new StatusWriter(env.NewTransport(), NullLogger<StatusWriter>.Instance);
        var calls = 0;

        var written = await writer.UpdateAsync(stale, d =>
        {
            calls++;
            d.Status ??= new V1DeploymentStatus();
            d.Status.ObservedGeneration = 42;
            return true;
        }, Ct);

        Assert.Equal(2, calls);
        Assert.Equal(42, written?.Status.ObservedGeneration);
        Assert.Equal(7, written?.Status.Replicas);
        Assert.Null(stale.Status?.ObservedGeneration);
        Assert.Equal(1, env.Sim.Requests.Count("update", "deployments/status", statusCode: 409));
    }

    [Fact]
    public async Task Status_writer_writes_nothing_when_unchanged_and_returns_null_when_gone()
    {
        await using var env = await SimEnvironment.StartAsync();
        var deployment = await CreateDeploymentAsync(env, "web");
        var writer = new StatusWriter(env.NewTransport(), NullLogger<StatusWriter>.Instance);

        Assert.Same(deployment, await writer.UpdateAsync(deployment, _ => false, Ct));
        await env.Client.AppsV1.DeleteNamespacedDeploymentAsync("web", "default", cancellationToken: Ct);
        Assert.Null(await writer.UpdateAsync(deployment, _ => true, Ct));
        Assert.Equal(0, env.Sim.Requests.Count("update", "deployments/status", statusCode: 200));
    }

    [Fact]
    public async Task Status_writer_gives_up_after_bounded_conflicts()
    {
        await using var env = await SimEnvironment.StartAsync();
        var deployment = await CreateDeploymentAsync(env, "web");
        var writer = new StatusWriter(env.NewTransport(), NullLogger<StatusWriter>.Instance);
        env.Sim.Faults.FailNextWrites("deployments/status", 10, 409);

        var error = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() => writer.UpdateAsync(deployment, _ => true, Ct));

        Assert.True(ApiErrors.IsConflict(error));
        Assert.Equal(5, env.Sim.Requests.Count("update", "deployments/status"));
    }

    [Fact]
    public async Task Finalizers_are_added_and_removed_with_optimistic_locking()
    {
        await using var env = await SimEnvironment.StartAsync();
        var client = new ResourceClient<V1ConfigMap>(env.NewTransport());
        var created = await InformerKubeSimTests.CreateConfigMapAsync(env, "default", "guarded");

        var withFinalizer = await Finalizers.AddAsync(client, created, "apikeyoperator.io/finalizer", Ct);
        Assert.True(Finalizers.Has(withFinalizer, "apikeyoperator.io/finalizer"));
        Assert.Same(withFinalizer, await Finalizers.AddAsync(client, withFinalizer, "apikeyoperator.io/finalizer", Ct));

        var stale = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() => Finalizers.AddAsync(client, created, "other", Ct));
        Assert.True(ApiErrors.IsConflict(stale));

        await client.DeleteAsync(ObjectKey.Of(created), Ct);
        var terminating = await client.GetAsync(ObjectKey.Of(created), Ct);
        Assert.NotNull(terminating?.Metadata.DeletionTimestamp);

        await Finalizers.RemoveAsync(client, terminating!, "apikeyoperator.io/finalizer", Ct);
        Assert.Null(await client.GetAsync(ObjectKey.Of(created), Ct));
    }

    private static Task<V1Deployment> CreateDeploymentAsync(SimEnvironment env, string name) =>
        env.Client.AppsV1.CreateNamespacedDeploymentAsync(
            new V1Deployment
            {
                Metadata = new V1ObjectMeta { Name = name },
                Spec = new V1DeploymentSpec
                {
                    Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
                    Template = new V1PodTemplateSpec
                    {
                        Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                        Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "busybox" }] },
                    },
                },
            },
            "default",
            cancellationToken: Ct);
}
