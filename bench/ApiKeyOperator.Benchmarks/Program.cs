// Benchmarks of the operator against an in-process KubeSim. The first argument names the benchmark (any IBenchmark
// in this assembly), the rest are its flags, e.g.
//   dotnet run -c Release --project bench/ApiKeyOperator.Benchmarks -- issuance --apikeys 10000 --namespaces 100
using ApiKeyOperator.Benchmarks;

var benchmarks = typeof(IBenchmark).Assembly.GetTypes()
    .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IBenchmark).IsAssignableFrom(t) && t.GetConstructor(Type.EmptyTypes) is not null)
    .Select(t => (IBenchmark)Activator.CreateInstance(t)!)
    .OrderBy(b => b.Name, StringComparer.Ordinal)
    .ToList();

var chosen = args.Length > 0 ? benchmarks.FirstOrDefault(b => b.Name == args[0]) : null;
if (chosen is null)
{
    await Console.Error.WriteLineAsync($"usage: ApiKeyOperator.Benchmarks <{string.Join('|', benchmarks.Select(b => b.Name))}> [flags]");
    return 2;
}

await chosen.RunAsync(args[1..]);
return 0;
