using System.Text.RegularExpressions;

namespace ApiKeyOperator.Ledger;

/// <summary>
/// Refuses text that looks like key material. A Token's random tail is 40+ base62 characters, so a run of
/// 32 or more that mixes in an upper-case letter is treated as a key. The upper-case test keeps legal
/// Kubernetes names (lower case and digits only, possibly long) and hex hashes out of it; a random base62
/// tail of 43 characters lacks an upper-case letter with probability (36/62)^43, about 1e-10.
/// </summary>
internal static partial class KeyMaterialGuard
{
    public const int SuspiciousRunLength = 32;

    /// <summary>Throws <see cref="ArgumentException"/> naming <paramref name="field"/>; the value is never echoed.</summary>
    public static void Check(string? value, string field)
    {
        if (value is not null && LongBase62Run().Matches(value).Any(run => run.Value.Any(char.IsAsciiLetterUpper)))
        {
            throw new ArgumentException(
                $"Audit field '{field}' contains a run of {SuspiciousRunLength} or more base62 characters, which looks like key material; the ledger refuses to store it.",
                field);
        }
    }

    [GeneratedRegex("[A-Za-z0-9]{32,}", RegexOptions.CultureInvariant)]
    private static partial Regex LongBase62Run();
}
