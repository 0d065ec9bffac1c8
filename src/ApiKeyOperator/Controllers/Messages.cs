namespace ApiKeyOperator.Controllers;

/// <summary>Condition and Event messages read as sentences, however they are joined.</summary>
internal static class Messages
{
    /// <summary>Ends a fragment with exactly one full stop (and no stray ';' or '.' before it).</summary>
    public static string Sentence(string? text)
    {
        var trimmed = (text ?? "").Trim().TrimEnd('.', ';', ' ');
        return trimmed.Length == 0 ? "" : trimmed + ".";
    }
}
