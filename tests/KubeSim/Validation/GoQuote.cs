using System.Text.Encodings.Web;
using System.Text.Json;

namespace KubeSim;

/// <summary>A string quoted as Go's %q prints it in field errors (no HTML escaping of &lt;, &gt;, &amp;, ').</summary>
internal static class GoQuote
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Quote(string text) => JsonSerializer.Serialize(text, Relaxed);
}
