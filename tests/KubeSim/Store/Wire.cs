using System.Text.Encodings.Web;
using System.Text.Json;

namespace KubeSim;

/// <summary>JSON settings for everything KubeSim writes on the wire.</summary>
internal static class Wire
{
    /// <summary>Compact output without HTML escaping (Go's encoder does not escape '+' in base64 either).</summary>
    public static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
