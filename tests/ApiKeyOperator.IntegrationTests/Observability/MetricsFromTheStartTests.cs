using System.Text.RegularExpressions;
using ApiKeyOperator.IntegrationTests.ApiKeys;
using ApiKeyOperator.IntegrationTests.Harness;
using ApiKeyOperator.IntegrationTests.Operator;
using ApiKeyOperator.Tests.Install;
using Xunit;

namespace ApiKeyOperator.IntegrationTests.Observability;

/// <summary>
/// A fresh operator, before it has seen a single ApiKey, already exports every family the shipped alerts read, and
/// its counters start at 0: an alert on <c>increase()</c> then sees the very first failure after a restart.
/// </summary>
public sealed partial class MetricsFromTheStartTests(ClusterFixture cluster) : OperatorTest(cluster)
{
    // Prometheus' own series (up) and functions are not the operator's to export.
    private static readonly HashSet<string> NotMetrics = ["by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset", "up"];

    [Fact]
    public async Task Every_metric_an_alert_reads_is_exported_and_counters_start_at_zero()
    {
        var running = await StartOperatorAsync(OperatorArgs("--leader-elect", "--leader-election-namespace", Namespace));
        using var http = new HttpClient();
        await Eventually.WaitAsync(_ => Task.FromResult(running.Host.IsReconciling), Timeout, "leading", Ct);

        string metrics = await http.GetStringAsync(new Uri(running.MetricsUrl!, "metrics"), Ct);

        var families = metrics.Split('\n').Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal)).Select(l => l.Split(' ')[2]).ToHashSet();
        Assert.All(MetricsReadByAlerts(), metric => Assert.Contains(metric, families));
        string[] zeros =
        [
            "controller_runtime_reconcile_total{controller=\"apikey\",result=\"error\"} 0",
            "controller_runtime_reconcile_total{controller=\"apikeyrotation\",result=\"error\"} 0",
            "apikey_audit_rows_total{result=\"failed\"} 0",
            "apikey_audit_rows_total{result=\"written\"} 0",
            "apikey_audit_rows_pending 0",
            "apikey_verifications_total{reason=\"Revoked\"} 0",
            "workqueue_retries_total{name=\"apikey\"} 0",
        ];
        Assert.All(zeros, sample => Assert.Contains(sample + "\n", metrics, StringComparison.Ordinal));
    }

    private static IEnumerable<string> MetricsReadByAlerts()
    {
        var rules = YamlNodes.LoadFile(RepoPaths.Combine("config", "prometheus", "rules.yaml")).Single().Map("spec")!
            .Maps("groups").SelectMany(g => g.Maps("rules"));
        foreach (string expr in rules.Select(r => r.Str("expr")!))
        {
            // Drop label matchers and grouping clauses, then keep the identifiers that are not function calls.
            string bare = Grouping().Replace(Matchers().Replace(expr, string.Empty), string.Empty);
            foreach (Match identifier in Identifier().Matches(bare))
            {
                if (!NotMetrics.Contains(identifier.Value) && !bare[(identifier.Index + identifier.Length)..].TrimStart().StartsWith('('))
                {
                    yield return identifier.Value;
                }
            }
        }
    }

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Matchers();

    [GeneratedRegex(@"\b(by|without)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"\b[a-zA-Z_:][a-zA-Z0-9_:]*\b")]
    private static partial Regex Identifier();
}
