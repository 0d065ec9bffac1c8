using System.Text.RegularExpressions;
using ApiKeyOperator.Keys;

namespace ApiKeyOperator.Ledger;

/// <summary>
/// Recognises key material in audit text: this project's tokens and client secrets, JWTs, and high-entropy
/// strings such as other systems' keys or base64 secrets. What it does not flag matters as much: scopes and
/// reasons written in CamelCase words (<c>Invoices.ReadWriteAllOrganizationAccounts</c>), Kubernetes names
/// (lower case, digits, '-'), and lower-case hex digests and key ids are ordinary audit text.
/// </summary>
internal static partial class KeyMaterialGuard
{
    /// <summary>Shortest run of base62/base64 characters judged on its randomness.</summary>
    public const int MinimumSecretLength = 20;

    /// <summary>
    /// Words average well over this many characters per segment (<c>Read|Write|All|Organization</c>: 6); random
    /// base62 about 1.6 (every case or class change starts a segment).
    /// </summary>
    private const double WordlikeSegmentLength = 3.0;

    /// <summary>Beyond this mean segment length a run is words, whatever its vowels.</summary>
    private const double LongestRandomSegment = 5.0;

    /// <summary>Below this share of vowels among lower-case letters, text does not read as words.</summary>
    private const double RandomVowelShare = 0.25;

    /// <summary>What a value looks like, or null when it carries nothing that looks like a secret.</summary>
    public static KeyMaterialKind? Classify(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (IssuedToken().IsMatch(value))
        {
            return KeyMaterialKind.ApiKey;
        }

        if (Jwt().IsMatch(value))
        {
            return KeyMaterialKind.Jwt;
        }

        foreach (Match run in Base64Run().Matches(value))
        {
            if (run.Length == TokenFormat.ClientSecretLength && TokenFormat.IsValidClientSecret(run.Value))
            {
                return KeyMaterialKind.ApiKey;
            }

            if (LooksRandom(run.ValueSpan))
            {
                return KeyMaterialKind.HighEntropySecret;
            }
        }

        return null;
    }

    /// <summary>The kind in words, for messages and redaction markers.</summary>
    public static string Describe(KeyMaterialKind kind) => kind switch
    {
        KeyMaterialKind.ApiKey => "an API key issued by this operator",
        KeyMaterialKind.Jwt => "a JWT",
        _ => "a high-entropy secret",
    };

    /// <summary>
    /// A run is random-looking when it mixes an upper-case letter with lower case or digits and its segments
    /// (a capitalised word, an upper-case acronym, a digit group) are short on average, or only somewhat longer
    /// but nearly without vowels (words have about 40% vowels among their lower-case letters, random text 19%).
    /// Requiring an upper-case letter keeps Kubernetes names and hex digests out: neither can hold one. A
    /// heuristic: this project's own formats are matched exactly above, this catches other systems' secrets.
    /// </summary>
    internal static bool LooksRandom(ReadOnlySpan<char> run)
    {
        if (run.Length < MinimumSecretLength || !run.ContainsAnyInRange('A', 'Z'))
        {
            return false;
        }

        if (!run.ContainsAnyInRange('a', 'z') && !run.ContainsAnyInRange('0', '9'))
        {
            return false;
        }

        var segments = 0;
        foreach (var _ in Segment().EnumerateMatches(run))
        {
            segments++;
        }

        var meanSegment = (double)run.Length / segments;
        return meanSegment < WordlikeSegmentLength || (meanSegment < LongestRandomSegment && VowelShare(run) < RandomVowelShare);
    }

    private static double VowelShare(ReadOnlySpan<char> run)
    {
        int lower = 0, vowels = 0;
        foreach (var c in run)
        {
            if (char.IsAsciiLetterLower(c))
            {
                lower++;
                vowels += c is 'a' or 'e' or 'i' or 'o' or 'u' ? 1 : 0;
            }
        }

        return lower == 0 ? 0 : (double)vowels / lower;
    }

    // This project's token: ... key-id "_" secret checksum (see Keys/TokenFormat), the checksum not required so
    // that a mistyped key is caught too. A client secret alone is recognised by its checksum above.
    [GeneratedRegex("(?<![0-9A-Za-z])[0-9a-f]{8}_[0-9A-Za-z]{40,}", RegexOptions.CultureInvariant)]
    private static partial Regex IssuedToken();

    // header.payload[.signature], both JSON objects in base64url ("eyJ" is '{"').
    [GeneratedRegex(@"eyJ[0-9A-Za-z_-]{6,}\.eyJ[0-9A-Za-z_-]{6,}", RegexOptions.CultureInvariant)]
    private static partial Regex Jwt();

    [GeneratedRegex("[0-9A-Za-z+/]{20,}", RegexOptions.CultureInvariant)]
    private static partial Regex Base64Run();

    [GeneratedRegex("[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+|[+/]", RegexOptions.CultureInvariant)]
    private static partial Regex Segment();
}
