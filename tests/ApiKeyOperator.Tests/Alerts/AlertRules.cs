using ApiKeyOperator.Tests.Install;
using YamlDotNet.RepresentationModel;

namespace ApiKeyOperator.Tests.Alerts;

/// <summary>config/prometheus/rules.yaml (a PrometheusRule) and its promtool tests, rules.test.yaml.</summary>
internal static class AlertRules
{
    public static string RulesPath => RepoPaths.Combine("config", "prometheus", "rules.yaml");

    public static string TestsPath => RepoPaths.Combine("config", "prometheus", "rules.test.yaml");

    /// <summary>The PrometheusRule's spec: the rule groups as promtool reads them.</summary>
    public static YamlMappingNode Groups() => YamlNodes.LoadFile(RulesPath).Single().Map("spec")!;

    public static IReadOnlyList<string> AlertNames() =>
        [.. Groups().Maps("groups").SelectMany(g => g.Maps("rules")).Select(r => r.Str("alert")).OfType<string>()];

    /// <summary>Writes the groups where rules.test.yaml expects them (rules.groups.yaml beside it) and copies the tests there.</summary>
    public static string WriteForPromtool(string directory)
    {
        using (var writer = File.CreateText(Path.Combine(directory, "rules.groups.yaml")))
        {
            new YamlStream(new YamlDocument(Groups())).Save(writer, assignAnchors: false);
        }

        string tests = Path.Combine(directory, "rules.test.yaml");
        File.Copy(TestsPath, tests);
        return tests;
    }
}
