using ApiKeyOperator.Runtime;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace ApiKeyOperator.Tests.Runtime;

public sealed class EventRecorderKubeSimTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_event_refused_in_a_terminating_namespace_is_dropped_quietly_and_other_refusals_warn_without_a_stack_trace()
    {
        await using var env = await SimEnvironment.StartAsync();
        await env.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "going" } }, cancellationToken: Ct);
        // A finalizer nobody removes keeps the namespace Terminating, as an operator's finalizer does on a real cluster.
        var subject = await env.Client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "subject", Finalizers = ["example.com/hold"] } }, "going", cancellationToken: Ct);
        await env.Client.CoreV1.DeleteNamespaceAsync("going", cancellationToken: Ct);
        var logs = new CapturingLoggerProvider();
        using var services = new ServiceCollection().AddLogging(l => l.AddProvider(logs).SetMinimumLevel(LogLevel.Debug)).BuildServiceProvider();
        var recorder = new EventRecorder(env.NewTransport(), TimeProvider.System, services.GetRequiredService<ILogger<EventRecorder>>());

        await recorder.NormalAsync(subject, "Deleted", "Revoked every key", Ct);

        Assert.Equal(1, env.Sim.Requests.Snapshot().Count(r => r.Resource == "events" && r.Verb == "create" && r.StatusCode == 403));
        Assert.Contains(logs.Lines, l => l.StartsWith("Debug", StringComparison.Ordinal) && l.Contains("namespace going is terminating", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, l => !l.StartsWith("Debug", StringComparison.Ordinal));

        // Any other refusal is still a warning, with the API's message and no stack trace.
        var other = await InformerKubeSimTests.CreateConfigMapAsync(env, "default", "other");
        env.Sim.Faults.FailNextWrites("events", 1);
        await recorder.WarningAsync(other, "SecretConflict", "Secret s is owned by someone else", Ct);

        var warning = Assert.Single(logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal));
        Assert.Contains("injected fault", warning, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", warning, StringComparison.Ordinal);
    }
}
