using System.Text.Json;
using System.Text.Json.Serialization;

namespace ApiKeyOperator.Benchmarks;

/// <summary>The last line a benchmark prints: one JSON object with its value and the floor measured in the same run.</summary>
public sealed record BenchmarkResult(
    [property: JsonPropertyName("benchmark")] string Benchmark,
    [property: JsonPropertyName("value")] double Value,
    [property: JsonPropertyName("unit")] string Unit,
    [property: JsonPropertyName("floor")] double Floor,
    [property: JsonPropertyName("ratio")] double Ratio,
    [property: JsonPropertyName("params")] IReadOnlyDictionary<string, object> Params)
{
    public void Print() => Console.WriteLine(JsonSerializer.Serialize(this));
}
