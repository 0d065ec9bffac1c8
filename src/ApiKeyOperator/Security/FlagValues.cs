using System.CommandLine;
using ApiKeyOperator.Api;

namespace ApiKeyOperator.Security;

/// <summary>Flag shapes the security and certificate flags share: comma-separated lists and Go durations.</summary>
internal static class FlagValues
{
    /// <summary>A list given as <c>--flag a,b</c> or <c>--flag a --flag b</c>; <c>--flag ""</c> empties it.</summary>
    public static Option<string[]> List(string name, string description, IReadOnlyList<string> defaults) => new(name)
    {
        Description = description + (defaults.Count == 0 ? "" : $" (default {string.Join(",", defaults)})"),
        DefaultValueFactory = _ => [.. defaults],
        AllowMultipleArgumentsPerToken = false,
        CustomParser = result =>
            [.. result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct(StringComparer.Ordinal)],
    };

    public static Option<TimeSpan> Duration(string name, string description, TimeSpan defaultValue) => new(name)
    {
        Description = $"{description} (Go duration, default {GoDuration.Format(defaultValue)})",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : null;
            if (GoDuration.TryParse(text, out var value) && value > TimeSpan.Zero)
            {
                return value;
            }

            result.AddError($"{name}: '{text}' is not a positive duration");
            return default;
        },
    };
}
