using System.Diagnostics;

namespace ApiKeyOperator.Benchmarks;

/// <summary>One load run: requests answered, those that were not 201 Valid, wall time, and every latency (Stopwatch ticks, sorted).</summary>
internal sealed record LoadResult(int Requests, int Failures, TimeSpan Elapsed, long[] SortedTicks)
{
    /// <summary>The latency at quantile <paramref name="p"/> (0..1] in milliseconds, nearest-rank.</summary>
    public double Percentile(double p) =>
        SortedTicks.Length == 0 ? 0 : SortedTicks[Math.Min(SortedTicks.Length - 1, (int)Math.Ceiling(p * SortedTicks.Length) - 1)] * 1000.0 / Stopwatch.Frequency;
}
