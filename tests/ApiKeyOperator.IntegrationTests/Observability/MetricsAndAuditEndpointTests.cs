using System.Text.Json.Nodes;
using ApiKeyOperator.Api;
using ApiKeyOperator.IntegrationTests.ApiKeys;
using ApiKeyOperator.IntegrationTests.Harness;
using ApiKeyOperator.IntegrationTests.Operator;
using Xunit;

namespace ApiKeyOperator.IntegrationTests.Observability;

public sealed class MetricsAndAuditEndpointTests(ClusterFixture cluster) : OperatorTest(cluster)
{
    [Fact]
    public async Task Metrics_carry_controller_runtime_names_and_the_key_expiry_and_readyz_lists_every_check()
    {
        var running = await StartOperatorAsync();
        await CreateApiKeyAsync("exporter", s => s.Validity = "48h");
        var apiKey = await WaitForReadyAsync("exporter");
        using var http = new HttpClient();

        var expected = new DateTimeOffset(DateTime.SpecifyKind(apiKey.Status.ExpiresAt!.Value, DateTimeKind.Utc)).ToUnixTimeSeconds();
        var series = $"apikey_expiry_timestamp_seconds{{namespace=\"{Namespace}\",name=\"exporter\",key_id=\"{apiKey.Status.CurrentKeyId}\"}}";
        var metrics = await Eventually.GetAsync(
            async ct => await http.GetStringAsync(new Uri(running.MetricsUrl!, "metrics"), ct) is { } text && text.Contains(series, StringComparison.Ordinal) ? text : null,
            Timeout, "the expiry series on /metrics", Ct);

        var sample = Assert.Single(PrometheusText.Samples(metrics, "apikey_expiry_timestamp_seconds", $"key_id=\"{apiKey.Status.CurrentKeyId}\""));
        Assert.Equal(expected, (long)sample);
        Assert.Contains("controller_runtime_reconcile_total{controller=\"apikey\"", metrics, StringComparison.Ordinal);
        Assert.Contains("workqueue_depth{name=\"apikey\"}", metrics, StringComparison.Ordinal);

        var readyz = await http.GetStringAsync(new Uri(running.HealthUrl!, "readyz"), Ct);
        Assert.Contains("[+]ledger ok", readyz, StringComparison.Ordinal);
        Assert.Contains("readyz check passed", readyz, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_endpoint_on_the_metrics_listener_pages_rows_and_rejects_bad_parameters_with_a_status()
    {
        var running = await StartOperatorAsync();
        await CreateApiKeyAsync("billing");
        var apiKey = await WaitForReadyAsync("billing");
        await CreateRotationAsync("billing-r1", "billing", s => s.GracePeriod = "0s");
        await WaitForAsync<ApiKeyRotation>("billing-r1", r => r.Status?.Phase == RotationPhases.Succeeded, "Succeeded");
        using var http = new HttpClient();

        var page = await Eventually.GetAsync(
            async ct =>
            {
                var body = JsonNode.Parse(await http.GetStringAsync(new Uri(running.MetricsUrl!, $"audit?namespace={Namespace}&apiKey=billing&limit=100"), ct))!;
                var kinds = body["items"]!.AsArray().Select(i => (string?)i!["kind"]).ToList();
                return kinds.Contains("RotationStarted") && kinds.Contains("RolledOut") && kinds.Contains("Revoked") ? body : null;
            },
            Timeout, "rotation rows in /audit", Ct);

        var started = page["items"]!.AsArray().First(i => (string?)i!["kind"] == "RotationStarted")!;
        Assert.Equal(apiKey.Status.CurrentKeyId, (string?)started["keyId"]);
        Assert.Equal("billing-r1", (string?)started["rotation"]);

        var bad = await http.GetAsync(new Uri(running.MetricsUrl!, "audit?limit=banana"), Ct);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, bad.StatusCode);
        var status = JsonNode.Parse(await bad.Content.ReadAsStringAsync(Ct))!;
        Assert.Equal("Status", (string?)status["kind"]);
        Assert.Contains("limit", (string?)status["message"], StringComparison.Ordinal);
    }
}
