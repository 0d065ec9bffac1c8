using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace KubeSim.Tests.Admission;

/// <summary>
/// An HTTPS admission webhook server for tests, on 127.0.0.1:0 unless told where to listen. Each path answers with
/// the handler registered for it (default: allow); every AdmissionReview request received is recorded per path.
/// (Also compiled into KubeSim.Conformance, whose cases serve their webhooks with it.)
/// </summary>
public sealed class TestWebhookServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, Func<JsonObject, Task<string>>> handlers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentQueue<JsonObject>> received = new(StringComparer.Ordinal);

    private TestWebhookServer(WebApplication app, TestCertificates certificates, Uri url)
    {
        this.app = app;
        Certificates = certificates;
        Url = url;
    }

    public TestCertificates Certificates { get; }

    /// <summary>e.g. https://127.0.0.1:41234/</summary>
    public Uri Url { get; }

    /// <summary>A server on 127.0.0.1 and a free port whose certificate is also valid for the given host names.</summary>
    public static Task<TestWebhookServer> StartAsync(CancellationToken ct, params string[] hosts) =>
        StartAsync(new IPEndPoint(IPAddress.Loopback, 0), null, ct, hosts);

    /// <summary>
    /// A server listening on <paramref name="listen"/>. <paramref name="publicUrl"/>, when given, is the base URL
    /// the API server calls (an address it reaches this machine at); the certificate is valid for its host too.
    /// </summary>
    public static async Task<TestWebhookServer> StartAsync(IPEndPoint listen, Uri? publicUrl, CancellationToken ct, params string[] hosts)
    {
        ArgumentNullException.ThrowIfNull(listen);
        var certificates = TestCertificates.Create(publicUrl is null ? hosts : [.. hosts, publicUrl.Host]);
        try
        {
            var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
            builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(listen, o => o.UseHttps(certificates.Server)));
            var app = builder.Build();
            TestWebhookServer? server = null;
            app.Run(context => server!.HandleAsync(context));
            await app.StartAsync(ct);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            server = new TestWebhookServer(app, certificates, publicUrl ?? new Uri(address.EndsWith('/') ? address : address + "/"));
            return server;
        }
        catch
        {
            certificates.Dispose();
            throw;
        }
    }

    /// <summary>The URL of a path on this server, e.g. for clientConfig.url.</summary>
    public string UrlOf(string path) => new Uri(Url, path.TrimStart('/')).ToString();

    /// <summary>Answers requests to <paramref name="path"/> with the response the function builds from the request.</summary>
    public void On(string path, Func<JsonObject, JsonObject> respond) =>
        handlers[path] = request => Task.FromResult(Review(request, respond(request)).ToJsonString());

    /// <summary>Answers requests to <paramref name="path"/> with a raw body (garbage, wrong uid…).</summary>
    public void OnRaw(string path, Func<JsonObject, Task<string>> respond) => handlers[path] = respond;

    /// <summary>The AdmissionReview requests received on a path, in arrival order.</summary>
    public IReadOnlyList<JsonObject> Received(string path) => received.TryGetValue(path, out var queue) ? [.. queue] : [];

    /// <summary>A response allowing the request.</summary>
    public static JsonObject Allow() => new() { ["allowed"] = true };

    /// <summary>A response allowing the request with a JSON patch.</summary>
    public static JsonObject Patch(JsonArray operations, params string[] warnings) => new()
    {
        ["allowed"] = true,
        ["patchType"] = "JSONPatch",
        ["patch"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(operations.ToJsonString())),
        ["warnings"] = new JsonArray([.. warnings.Select(w => (JsonNode)JsonValue.Create(w))]),
    };

    /// <summary>A denial with a code and message.</summary>
    public static JsonObject Deny(int code, string message, string? reason = null) => new()
    {
        ["allowed"] = false,
        ["status"] = new JsonObject { ["code"] = code, ["message"] = message, ["reason"] = reason },
    };

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        Certificates.Dispose();
    }

    private static JsonObject Review(JsonObject request, JsonObject response)
    {
        response["uid"] ??= request["request"]?["uid"]?.DeepClone();
        return new JsonObject { ["apiVersion"] = "admission.k8s.io/v1", ["kind"] = "AdmissionReview", ["response"] = response };
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var review = JsonNode.Parse(await reader.ReadToEndAsync(context.RequestAborted))!.AsObject();
        received.GetOrAdd(path, _ => new ConcurrentQueue<JsonObject>()).Enqueue(review);
        var body = handlers.TryGetValue(path, out var handler)
            ? await handler(review)
            : Review(review, Allow()).ToJsonString();
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body, context.RequestAborted);
    }
}
