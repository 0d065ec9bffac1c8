using System.Text.Json;
using ApiKeyOperator.IntegrationTests.Operator;
using ApiKeyOperator.Tests.Install;
using Xunit;

namespace ApiKeyOperator.IntegrationTests.Benchmarks;

/// <summary>
/// Every benchmark under bench/ runs in a tiny configuration (seconds) and prints, as its last line, one JSON object
/// with its value and the floor it measured in the same run (issue 16's shape). The numbers are not checked: a tiny
/// run on a loaded machine measures nothing; the shape and that every benchmark still runs end to end are.
/// </summary>
public sealed class BenchmarkShapeTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    /// <summary>(project, expected "benchmark" field, arguments): every benchmark program and mode in bench/.</summary>
    private static readonly (string Project, string Benchmark, string[] Args)[] Runs =
    [
        ("ApiKeyOperator.Benchmarks", "issuance", ["issuance", "--apikeys", "10", "--namespaces", "2"]),
        ("ApiKeyOperator.Benchmarks", "verify", ["verify", "--apikeys", "10", "--namespaces", "2", "--workers", "4", "--seconds", "1"]),
        ("ApiKeyOperator.Benchmarks", "rotation", ["rotation", "--targets", "1", "--rotations", "1"]),
        ("ApiKeyOperator.Benchmarks", "rotation-queued", ["rotation", "--queued", "3"]),
        ("ApiKeyOperator.Benchmarks", "failover", ["failover", "--runs", "1", "--outage", "1s", "--lease", "3s", "--renew", "2s", "--retry", "500ms"]),
        ("ApiKeyOperator.Benchmarks", "token-flood", ["token-flood", "--tokens", "50", "--workers", "4"]),
        ("ApiKeyOperator.Benchmarks", "tokens", ["tokens", "--threads", "1", "--connections", "2", "--seconds", "1"]),
        ("ApiKeyOperator.Benchmarks", "forward-auth", ["forward-auth", "--threads", "1", "--connections", "2", "--seconds", "1"]),
        ("KubeSim.Benchmarks", "kubesim-write-p99", ["--count", "50", "--objects", "100"]),
    ];

    [Fact]
    public async Task Every_benchmark_ends_with_one_json_result_line_holding_its_floor()
    {
        var ct = TestContext.Current.CancellationToken;
        // All at once: most of a tiny run is start-up and waiting, so they overlap well.
        var failures = await Task.WhenAll(Runs.Select(async run =>
        {
            var dll = Path.Combine(RepoRoot.Path, "bench", run.Project, "bin", Configuration, "net10.0", run.Project + ".dll");
            if (!File.Exists(dll))
            {
                return $"{run.Benchmark}: {dll} is not built";
            }

            var result = await ProcessRunner.RunAsync("dotnet", [dll, .. run.Args], RepoRoot.Path, Timeout, ct);
            if (result.ExitCode != 0)
            {
                return $"{run.Benchmark}: {result.Describe()}";
            }

            var problem = ResultLineProblem(result.StandardOutput, run.Benchmark);
            return problem is null ? null : $"{run.Benchmark}: {problem}\n{result.Describe()}";
        }));

        var failed = failures.OfType<string>().ToList();
        Assert.True(failed.Count == 0, string.Join("\n\n", failed));
    }

    [Theory]
    [InlineData("""{"benchmark":"x","value":1,"unit":"s","floor":1,"ratio":1}""", "params")]
    [InlineData("""{"benchmark":"x","value":1,"unit":"s","floor":"fast","ratio":1,"params":{}}""", "floor")]
    [InlineData("""{"benchmark":"x","value":1,"unit":"s","floor":0,"ratio":1,"params":{}}""", "floor")]
    [InlineData("""{"benchmark":"y","value":1,"unit":"s","floor":1,"ratio":1,"params":{}}""", "benchmark")]
    [InlineData("""{"benchmark":"x","value":1,"unit":"s","floor":1,"ratio":1,"params":{}}""" + "\ntrailing text", "last line")]
    public void A_result_line_missing_or_malformed_in_any_field_is_refused(string output, string named)
    {
        var problem = ResultLineProblem(output, "x");

        Assert.NotNull(problem);
        Assert.Contains(named, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_complete_result_line_is_accepted()
    {
        Assert.Null(ResultLineProblem("progress\n" + """{"benchmark":"x","value":2.5,"unit":"s","floor":1.0,"ratio":2.5,"params":{"n":3}}""" + "\n", "x"));
    }

    /// <summary>Null when the last line of <paramref name="stdout"/> is a complete result of <paramref name="benchmark"/>, else what is wrong.</summary>
    private static string? ResultLineProblem(string stdout, string benchmark)
    {
        var last = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        if (last is null || !last.StartsWith('{'))
        {
            return $"the last line is not a JSON object: {last}";
        }

        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(last);
            root = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            return $"the last line is not JSON ({ex.Message}): {last}";
        }

        if (!root.TryGetProperty("benchmark", out var name) || name.ValueKind != JsonValueKind.String || name.GetString() != benchmark)
        {
            return $"benchmark is not \"{benchmark}\": {last}";
        }

        foreach (var field in new[] { "value", "floor", "ratio" })
        {
            if (!root.TryGetProperty(field, out var number) || number.ValueKind != JsonValueKind.Number)
            {
                return $"{field} is not a number: {last}";
            }
        }

        if (root.GetProperty("floor").GetDouble() <= 0)
        {
            return $"floor was not measured (not positive): {last}";
        }

        if (!root.TryGetProperty("unit", out var unit) || unit.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(unit.GetString()))
        {
            return $"unit is missing: {last}";
        }

        return root.TryGetProperty("params", out var parameters) && parameters.ValueKind == JsonValueKind.Object ? null : $"params is not an object: {last}";
    }

    /// <summary>The configuration this test assembly was built in (bin/&lt;Configuration&gt;/net10.0): the benchmarks were built with it.</summary>
    private static string Configuration => new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
}
