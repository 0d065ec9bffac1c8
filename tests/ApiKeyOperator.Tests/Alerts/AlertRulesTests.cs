using ApiKeyOperator.Tests.Install;
using Xunit;

namespace ApiKeyOperator.Tests.Alerts;

/// <summary>
/// Every shipped alert is unit-tested with <c>promtool test rules</c> (Debian's prometheus package; .ci/run installs it).
/// Without promtool the promtool tests report skipped — or fail when APIKEY_TEST_REQUIRE_PROMTOOL says it must be there.
/// </summary>
public sealed class AlertRulesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_alert_behaves_as_its_promtool_unit_tests_say()
    {
        string promtool = Promtool();
        string directory = Directory.CreateTempSubdirectory("alerts-").FullName;
        try
        {
            string tests = AlertRules.WriteForPromtool(directory);

            var check = await ProcessRunner.RunAsync(promtool, ["check", "rules", "rules.groups.yaml"], directory, TimeSpan.FromMinutes(1), Ct);
            var run = await ProcessRunner.RunAsync(promtool, ["test", "rules", Path.GetFileName(tests)], directory, TimeSpan.FromMinutes(2), Ct);

            Assert.True(check.ExitCode == 0, check.StandardOutput + check.StandardError);
            Assert.Contains($"SUCCESS: {AlertRules.AlertNames().Count} rules found", check.StandardOutput, StringComparison.Ordinal);
            Assert.True(run.ExitCode == 0, run.StandardOutput + run.StandardError);
            Assert.Contains("SUCCESS", run.StandardOutput, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Every_alert_has_a_promtool_case_where_it_fires_and_one_where_it_stays_quiet()
    {
        var cases = YamlNodes.LoadFile(AlertRules.TestsPath).Single().Maps("tests")
            .SelectMany(t => t.Maps("alert_rule_test"))
            .Select(c => (Alert: c.Str("alertname"), Fires: c.Maps("exp_alerts").Count > 0))
            .ToList();

        Assert.All(AlertRules.AlertNames(), alert =>
        {
            Assert.Contains((alert, true), cases);
            Assert.Contains((alert, false), cases);
        });
        Assert.All(cases, c => Assert.Contains(c.Alert, AlertRules.AlertNames()));
    }

    private static string Promtool()
    {
        if (ProcessRunner.FindOnPath("promtool") is { } path)
        {
            return path;
        }

        const string reason = "promtool is not installed (Debian: apt-get install prometheus; .ci/run does)";
        if (Environment.GetEnvironmentVariable("APIKEY_TEST_REQUIRE_PROMTOOL") is { Length: > 0 })
        {
            Assert.Fail(reason);
        }

        Assert.Skip(reason);
        return string.Empty;
    }
}
