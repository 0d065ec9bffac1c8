using System.Globalization;

namespace ApiKeyOperator.IntegrationTests.ApiKeys;

/// <summary>Reads samples out of a Prometheus text exposition (what the operator's /metrics serves).</summary>
public static class PrometheusText
{
    /// <summary>
    /// Every sample of <paramref name="metric"/> (exact name, no suffix) whose label set contains
    /// <paramref name="label"/> (e.g. <c>controller="apikey"</c>), or every sample when null.
    /// </summary>
    public static IReadOnlyList<double> Samples(string text, string metric, string? label = null) =>
        text.Split('\n')
            .Where(line => !line.StartsWith('#'))
            .Where(line => line.StartsWith(metric + "{", StringComparison.Ordinal) || line.StartsWith(metric + " ", StringComparison.Ordinal))
            .Where(line => label is null || line.Contains(label, StringComparison.Ordinal))
            .Select(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture))
            .ToList();

    /// <summary>Sum of the matching samples (0 when there is none).</summary>
    public static double Sum(string text, string metric, string? label = null) => Samples(text, metric, label).Sum();
}
