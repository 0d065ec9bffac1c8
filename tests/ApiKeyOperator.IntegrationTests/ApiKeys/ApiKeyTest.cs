using System.Text;
using System.Text.Json;
using ApiKeyOperator.Api;
using ApiKeyOperator.IntegrationTests.Harness;
using ApiKeyOperator.IntegrationTests.Operator;
using k8s.Models;
using Xunit;

namespace ApiKeyOperator.IntegrationTests.ApiKeys;

/// <summary>
/// Shared steps of the ApiKey reconciliation tests: Secret reads, spec patches, condition waits, the operator's
/// metrics, and (on KubeSim) the writes this test's namespace received.
/// </summary>
public abstract class ApiKeyTest(ClusterFixture cluster) : OperatorTest(cluster)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    protected Task<V1Secret?> SecretAsync(string name) => Resources<V1Secret>().GetAsync(Key(name), Ct);

    protected static string Text(V1Secret secret, string dataKey) => Encoding.UTF8.GetString(secret.Data[dataKey]);

    /// <summary>A JSON merge patch of the ApiKey's spec, e.g. <c>new { validity = "720h" }</c>.</summary>
    protected Task<ApiKey> PatchSpecAsync(string name, object spec) =>
        Resources<ApiKey>().PatchAsync(Key(name), JsonSerializer.Serialize(new { spec }), Ct);

    protected Task<ApiKey> WaitForConditionAsync(string name, string type, string status, string reason) =>
        WaitForAsync<ApiKey>(
            name,
            k => Conditions.Find(k.Status?.Conditions, type) is { } c && c.Status == status && c.Reason == reason,
            $"{type}={status} reason {reason}");

    protected async Task<Corev1Event> WaitForEventAsync(string apiKeyName, string reason, string type = "Normal") =>
        await Eventually.GetAsync(
            async _ => (await EventsAsync()).FirstOrDefault(e => e.InvolvedObject.Name == apiKeyName && e.Reason == reason && e.Type == type),
            Timeout,
            $"{type} Event {reason} on ApiKey {apiKeyName}",
            Ct);

    /// <summary><see cref="OperatorTest.OperatorArgs"/> with <paramref name="flag"/> set to <paramref name="value"/> instead.</summary>
    protected string[] OperatorArgsWith(string flag, string value, params string[] extra)
    {
        var args = OperatorArgs(extra);
        var index = Array.IndexOf(args, flag);
        Assert.True(index >= 0, $"{flag} is not among the test operator's flags");
        args[index + 1] = value;
        return args;
    }

    protected static async Task<string> MetricsTextAsync(RunningOperator running, CancellationToken cancellationToken) =>
        await Http.GetStringAsync(new Uri(running.MetricsUrl!, "metrics"), cancellationToken);

    /// <summary>
    /// Waits until <paramref name="running"/> has synced its caches (/readyz), the apikey controller has finished
    /// at least <paramref name="reconciles"/> reconciles, and every work queue is empty with no worker busy: from
    /// then on, anything it would do for the current state has been done.
    /// </summary>
    protected async Task WaitForIdleAsync(RunningOperator running, int reconciles)
    {
        await Eventually.WaitAsync(
            async ct => (await Http.GetAsync(new Uri(running.HealthUrl!, "readyz"), ct)).IsSuccessStatusCode,
            Timeout,
            "operator /readyz",
            Ct);
        await Eventually.WaitAsync(
            async ct =>
            {
                var text = await MetricsTextAsync(running, ct);
                return PrometheusText.Sum(text, "controller_runtime_reconcile_total", "controller=\"apikey\"") >= reconciles
                    && PrometheusText.Sum(text, "workqueue_depth") == 0
                    && PrometheusText.Sum(text, "controller_runtime_active_workers") == 0;
            },
            Timeout,
            $"{reconciles} apikey reconciles done and every queue drained",
            Ct);
    }

    /// <summary>Write requests (create, update, patch, delete) KubeSim served in this test's namespace so far.</summary>
    protected IReadOnlyList<KubeSim.RequestRecord> WritesInNamespace() =>
        [.. Sim.Requests.Snapshot().Where(r => r.Namespace == Namespace && r.Verb is "create" or "update" or "patch" or "delete" or "deletecollection")];
}
