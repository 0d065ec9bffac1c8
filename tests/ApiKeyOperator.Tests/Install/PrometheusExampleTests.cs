using Xunit;

namespace ApiKeyOperator.Tests.Install;

/// <summary>config/prometheus renders on its own and scrapes and alerts on what the operator exports.</summary>
public sealed class PrometheusExampleTests
{
    [Fact]
    public async Task RulesAlertOnExpiryFailedRotationsOperatorDownAndReconcileErrors()
    {
        var manifests = await Kustomize.RenderAsync("prometheus", TestContext.Current.CancellationToken);

        var rules = YamlNodes.Find(manifests, "PrometheusRule", "apikey-operator");
        var alerts = rules.Map("spec")!.Maps("groups")
            .SelectMany(group => group.Maps("rules"))
            .ToDictionary(rule => rule.Str("alert")!, rule => rule.Str("expr")!);

        Assert.Equal("apikey_expiry_timestamp_seconds - time() < 14*24*3600", alerts["ApiKeyExpiringSoon"]);
        Assert.Equal("increase(apikey_rotations_total{result=\"failed\"}[1h]) > 0", alerts["ApiKeyRotationFailed"]);
        Assert.Contains("up{job=\"apikey-operator-metrics\"", alerts["ApiKeyOperatorDown"], StringComparison.Ordinal);
        Assert.Contains("controller_runtime_reconcile_total{result=\"error\"}", alerts["ApiKeyOperatorReconcileErrors"], StringComparison.Ordinal);
        Assert.All(manifests, m => Assert.Equal(OperatorPermissions.OperatorNamespace, m.Namespace()));
    }

    [Fact]
    public async Task ServiceMonitorSelectsTheMetricsServiceByLabelAndPortName()
    {
        var manifests = await Kustomize.RenderAsync("prometheus", TestContext.Current.CancellationToken);
        var service = YamlNodes.LoadFile(RepoPaths.Combine("config", "manager", "service.yaml"))
            .Single(m => m.Name() == "apikey-operator-metrics");

        var monitor = YamlNodes.Find(manifests, "ServiceMonitor", "apikey-operator").Map("spec")!;
        foreach (var (key, value) in monitor.Map("selector")!.Map("matchLabels")!.Children)
        {
            Assert.Equal(value.ToString(), service.Label(key.ToString()));
        }

        var endpoint = Assert.Single(monitor.Maps("endpoints"));
        Assert.Contains(endpoint.Str("port"), service.Map("spec")!.Maps("ports").Select(p => p.Str("name")));
        Assert.Equal("/metrics", endpoint.Str("path"));
    }
}
