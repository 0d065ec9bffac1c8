using System.Text.RegularExpressions;

namespace ApiKeyOperator.Tests.Install;

/// <summary>Splits a Dockerfile into stages; enough of the syntax for this repository's Dockerfile.</summary>
public static partial class DockerfileParser
{
    public static IReadOnlyList<DockerStage> Parse(string text)
    {
        var stages = new List<DockerStage>();
        List<DockerInstruction>? current = null;
        foreach (var instruction in Instructions(text))
        {
            if (instruction.Keyword == "FROM")
            {
                var match = FromPattern().Match(instruction.Arguments);
                current = [];
                stages.Add(new DockerStage(
                    match.Groups["image"].Value, match.Groups["name"].Success ? match.Groups["name"].Value : null, current));
            }
            else
            {
                (current ?? throw new FormatException($"{instruction.Keyword} before FROM")).Add(instruction);
            }
        }

        return stages;
    }

    private static IEnumerable<DockerInstruction> Instructions(string text)
    {
        var pending = string.Empty;
        foreach (var rawLine in text.ReplaceLineEndings("\n").Split('\n'))
        {
            var line = rawLine.Trim();
            if (pending.Length == 0 && (line.Length == 0 || line.StartsWith('#')))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                pending += line[..^1] + " ";
                continue;
            }

            var full = pending + line;
            pending = string.Empty;
            var space = full.IndexOf(' ', StringComparison.Ordinal);
            yield return space < 0
                ? new DockerInstruction(full.ToUpperInvariant(), string.Empty)
                : new DockerInstruction(full[..space].ToUpperInvariant(), full[(space + 1)..].Trim());
        }
    }

    [GeneratedRegex(@"^(--platform=\S+\s+)?(?<image>\S+)(\s+AS\s+(?<name>\S+))?$", RegexOptions.IgnoreCase)]
    private static partial Regex FromPattern();
}
