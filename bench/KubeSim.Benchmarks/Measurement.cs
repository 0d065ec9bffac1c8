namespace KubeSim.Benchmarks;

/// <summary>One benchmark result: how many operations (or events) in how long.</summary>
internal sealed record Measurement(string Name, long Operations, TimeSpan Elapsed)
{
    public double PerSecond => Operations / Elapsed.TotalSeconds;
}
