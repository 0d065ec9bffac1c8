using System.Globalization;

namespace ApiKeyOperator.Benchmarks;

/// <summary>Flags of a benchmark: <c>--name value</c> pairs; an unknown or malformed flag fails the run.</summary>
public sealed class BenchmarkArgs
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public BenchmarkArgs(string[] args, params string[] known)
    {
        ArgumentNullException.ThrowIfNull(args);
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!known.Contains(args[i]) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"unknown flag or missing value: {args[i]} (known: {string.Join(", ", known)})");
            }

            _values[args[i]] = args[i + 1];
        }
    }

    public int Int(string name, int defaultValue)
    {
        if (!_values.TryGetValue(name, out var text))
        {
            return defaultValue;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ArgumentException($"{name}: '{text}' is not a positive integer");
    }

    public string String(string name, string defaultValue) => _values.TryGetValue(name, out var text) ? text : defaultValue;
}
