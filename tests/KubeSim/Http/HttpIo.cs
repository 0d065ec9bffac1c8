using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace KubeSim.Http;

/// <summary>Reading request bodies and writing JSON responses.</summary>
internal static class HttpIo
{
    public static async Task<JsonNode?> ReadJsonAsync(HttpContext context, CancellationToken ct)
    {
        if (context.Request.ContentType?.Contains("protobuf", StringComparison.OrdinalIgnoreCase) == true)
        {
            // Typed client-go clients (e.g. `kubectl create secret`) may send protobuf; KubeSim speaks JSON only.
            throw StatusErrors.UnsupportedMediaType(context.Request.ContentType, "application/json, application/merge-patch+json, application/json-patch+json, application/strategic-merge-patch+json");
        }

        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(ct).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException ex)
        {
            throw StatusErrors.BadRequest($"couldn't get version/kind; json parse error: {ex.Message}");
        }
    }

    public static async Task<JsonObject> ReadObjectAsync(HttpContext context, CancellationToken ct) =>
        await ReadJsonAsync(context, ct).ConfigureAwait(false) as JsonObject
        ?? throw StatusErrors.BadRequest("the body of the request must be a JSON object");

    public static Task WriteAsync(HttpContext context, int statusCode, JsonNode body, CancellationToken ct)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body.ToJsonString(Wire.Options), ct);
    }

    public static string? Query(HttpContext context, string name) =>
        context.Request.Query.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;

    public static bool QueryFlag(HttpContext context, string name) =>
        Query(context, name) is { } v && (v.Length == 0 || v.Equals("true", StringComparison.OrdinalIgnoreCase) || v == "1");
}
