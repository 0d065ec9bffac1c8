using System.Globalization;
using System.Text.RegularExpressions;

namespace KubeSim.Schema;

/// <summary>The string formats the API server's OpenAPI validator checks; unknown formats are accepted, as there.</summary>
internal static partial class SchemaFormats
{
    public static bool IsValid(string format, string text) => format switch
    {
        "date-time" => DateTime().IsMatch(text) && DateTimeOffset.TryParse(text.Replace(' ', 'T'), CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
        "date" => DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
        "uuid" => Guid.TryParseExact(text, "D", out _),
        "byte" => IsBase64(text),
        _ => true,
    };

    private static bool IsBase64(string text)
    {
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out _);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")]
    private static partial Regex DateTime();
}
