using System.Text;
using System.Text.Json.Nodes;

namespace KubeSim;

/// <summary>Opaque list continuation: the list's revision and the last key returned.</summary>
internal static class ContinueToken
{
    public static string Encode(long revision, string lastKey) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(new JsonObject { ["rv"] = revision, ["start"] = lastKey }.ToJsonString()));

    public static (long Revision, string LastKey) Decode(string token)
    {
        try
        {
            var node = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(token)))!;
            return (node["rv"]!.GetValue<long>(), node["start"]!.GetValue<string>());
        }
        catch (Exception ex) when (ex is FormatException or System.Text.Json.JsonException or NullReferenceException or InvalidOperationException)
        {
            throw StatusErrors.BadRequest($"continue key is not valid: {ex.Message}");
        }
    }
}
