using System.CommandLine;

namespace ApiKeyOperator.Hosting;

/// <summary><c>--components</c>: which <see cref="OperatorComponents"/> this process runs.</summary>
public static class ComponentFlags
{
    public static Option<string[]> Components { get; } = Create();

    /// <summary>The components <paramref name="options"/> select; all when the flag is not part of the command line.</summary>
    public static IReadOnlyList<string> Selected(OperatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.CommandLine?.GetResult(Components)?.GetValueOrDefault<string[]>() is { Length: > 0 } selected ? selected : OperatorComponents.All;
    }

    private static Option<string[]> Create()
    {
        var option = new Option<string[]>("--components")
        {
            Description = $"Which parts to run, comma-separated: {string.Join(", ", OperatorComponents.All)} (default all; "
                + "the install runs the review endpoint as its own Deployment that cannot read Secrets)",
            DefaultValueFactory = _ => [.. OperatorComponents.All],
            CustomParser = result =>
                [.. result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct(StringComparer.Ordinal)],
        };
        option.Validators.Add(result =>
        {
            var values = result.GetValueOrDefault<string[]>() ?? [];
            if (values.Length == 0)
            {
                result.AddError("--components: name at least one of " + string.Join(", ", OperatorComponents.All));
            }

            foreach (var unknown in values.Where(v => !OperatorComponents.All.Contains(v)))
            {
                result.AddError($"--components: '{unknown}' is not one of {string.Join(", ", OperatorComponents.All)}");
            }
        });
        return option;
    }
}
