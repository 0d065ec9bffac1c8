using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace KubeSim.Tests.ServerSideApply;

/// <summary>Plain HTTP calls with an explicit content type and user agent (what apply and managedFields tests need).</summary>
internal sealed class RawApi(Uri server) : IDisposable
{
    private readonly HttpClient http = new() { BaseAddress = server };

    public async Task<(int Code, JsonObject Body)> SendAsync(HttpMethod method, string path, string? body, string? contentType, CancellationToken ct, string? userAgent = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType ?? "application/json");
        }

        if (userAgent is not null)
        {
            request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        }

        using var response = await http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        return ((int)response.StatusCode, JsonNode.Parse(text) as JsonObject ?? []);
    }

    public Task<(int Code, JsonObject Body)> ApplyAsync(string path, string body, string query, CancellationToken ct) =>
        SendAsync(HttpMethod.Patch, path + query, body, "application/apply-patch+yaml", ct);

    public Task<(int Code, JsonObject Body)> GetAsync(string path, CancellationToken ct) => SendAsync(HttpMethod.Get, path, null, null, ct);

    public void Dispose() => http.Dispose();

    /// <summary>The managers of an object's managedFields as "manager/operation[/subresource]".</summary>
    public static IReadOnlyList<string> Managers(JsonObject obj) =>
        [.. (obj["metadata"]?["managedFields"] as JsonArray ?? []).Select(e => $"{e!["manager"]}/{e["operation"]}{(e["subresource"] is { } s ? "/" + s : "")}")];

    /// <summary>The fieldsV1 of one manager's entry (by manager and operation).</summary>
    public static JsonObject Fields(JsonObject obj, string manager, string operation = "Apply") =>
        (JsonObject)(obj["metadata"]!["managedFields"] as JsonArray)!
            .Single(e => e!["manager"]!.GetValue<string>() == manager && e["operation"]!.GetValue<string>() == operation)!["fieldsV1"]!;
}
