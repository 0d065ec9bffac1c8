using System.Text.Json.Nodes;

namespace KubeSim.Tests;

/// <summary>Reads a JSON answer as a JsonNode, failing with the body when the status is not a success.</summary>
internal static class HttpClientJson
{
    public static async Task<JsonNode?> GetFromJsonNodeAsync(this HttpClient http, string path, CancellationToken ct)
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative), ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        return response.IsSuccessStatusCode ? JsonNode.Parse(body) : throw new HttpRequestException($"GET {path}: {(int)response.StatusCode} {body}");
    }
}
