using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KubeSim.Protobuf;
using Microsoft.AspNetCore.Http;

namespace KubeSim.Http;

/// <summary>Reading request bodies and writing JSON responses.</summary>
internal static class HttpIo
{
    public static async Task<JsonNode?> ReadJsonAsync(HttpContext context, CancellationToken ct)
    {
        if (context.Request.ContentType?.Contains("protobuf", StringComparison.OrdinalIgnoreCase) == true)
        {
            return await ReadProtobufAsync(context, ct).ConfigureAwait(false);
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

    // Typed client-go clients (kubectl create namespace|secret|configmap|serviceaccount) send protobuf; KubeSim
    // decodes those few kinds and answers 415 for the rest.
    private static async Task<JsonNode?> ReadProtobufAsync(HttpContext context, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, ct).ConfigureAwait(false);
        try
        {
            return ProtobufDecoder.Decode(buffer.GetBuffer().AsSpan(0, (int)buffer.Length))
                ?? throw StatusErrors.UnsupportedMediaType(context.Request.ContentType!,
                    $"application/json (KubeSim decodes protobuf for {string.Join(", ", KubernetesProtoMessages.Kinds)}; use kubectl apply -f or create -f for other kinds)");
        }
        catch (FormatException ex)
        {
            throw StatusErrors.BadRequest($"could not decode the protobuf body: {ex.Message}");
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
