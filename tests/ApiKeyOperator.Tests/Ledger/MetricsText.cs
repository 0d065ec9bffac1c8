using System.Globalization;
using System.Text;
using Prometheus;

namespace ApiKeyOperator.Tests.Ledger;

/// <summary>Reads one sample from a registry's text exposition, as a scrape would see it.</summary>
internal static class MetricsText
{
    /// <summary>The value of the sample written exactly as <paramref name="series"/> (e.g. <c>x_total{result="failed"}</c>); null when absent.</summary>
    public static async Task<double?> ValueAsync(CollectorRegistry registry, string series)
    {
        using var stream = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(stream);
        string text = Encoding.UTF8.GetString(stream.ToArray());
        string? line = text.Split('\n').FirstOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        return line is null ? null : double.Parse(line[(series.Length + 1)..], CultureInfo.InvariantCulture);
    }
}
