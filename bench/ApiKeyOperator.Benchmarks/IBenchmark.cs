namespace ApiKeyOperator.Benchmarks;

/// <summary>
/// One benchmark, run as <c>dotnet run --project bench/ApiKeyOperator.Benchmarks -- {Name} [flags]</c>. Program
/// finds every implementation in this assembly (public parameterless constructor), so a new benchmark is a new file.
/// </summary>
public interface IBenchmark
{
    /// <summary>The first command-line argument that selects this benchmark, e.g. <c>issuance</c>.</summary>
    string Name { get; }

    /// <summary>Runs with the arguments after the name and prints its report to stdout; throws on failure.</summary>
    Task RunAsync(string[] args);
}
