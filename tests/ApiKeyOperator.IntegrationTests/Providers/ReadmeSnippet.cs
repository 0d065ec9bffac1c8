using System.Text.RegularExpressions;
using ApiKeyOperator.IntegrationTests.Operator;

namespace ApiKeyOperator.IntegrationTests.Providers;

/// <summary>
/// A fenced code block of README.md between <c>&lt;!-- name:begin --&gt;</c> and <c>&lt;!-- name:end --&gt;</c>, so tests run
/// exactly what the README shows (with only addresses and credentials filled in).
/// </summary>
public static partial class ReadmeSnippet
{
    public static string Read(string name)
    {
        var readme = File.ReadAllText(Path.Combine(RepoRoot.Path, "README.md"));
        var begin = readme.IndexOf($"<!-- {name}:begin -->", StringComparison.Ordinal);
        var end = readme.IndexOf($"<!-- {name}:end -->", StringComparison.Ordinal);
        if (begin < 0 || end < begin)
        {
            throw new InvalidOperationException($"README.md has no snippet {name}");
        }

        var match = Fence().Match(readme[begin..end]);
        return match.Success ? match.Groups["body"].Value : throw new InvalidOperationException($"snippet {name} has no fenced code block");
    }

    /// <summary>Replaces each <paramref name="replacements"/> key, failing when one is not in the text (the README changed).</summary>
    public static string Fill(string text, params (string From, string To)[] replacements)
    {
        foreach (var (from, to) in replacements)
        {
            if (!text.Contains(from, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"the README snippet no longer contains \"{from}\"");
            }

            text = text.Replace(from, to, StringComparison.Ordinal);
        }

        return text;
    }

    [GeneratedRegex("```[a-z]*\\n(?<body>.*?)```", RegexOptions.Singleline)]
    private static partial Regex Fence();
}
