using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Xunit;

namespace KubeSim.Tests.Admission;

/// <summary>A KubeSim plus an HTTPS webhook server, and raw HTTP helpers that keep status codes and headers.</summary>
public abstract class WebhookTestBase : SimTestBase
{
    private TestWebhookServer? hooks;
    private HttpClient? http;

    protected TestWebhookServer Hooks => hooks ?? throw new InvalidOperationException("not started");

    protected HttpClient Http => http ?? throw new InvalidOperationException("not started");

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        hooks = await TestWebhookServer.StartAsync(Ct, "hook.webhooks.svc");
        http = new HttpClient { BaseAddress = Sim.Url };
    }

    public override async ValueTask DisposeAsync()
    {
        http?.Dispose();
        if (hooks is not null)
        {
            await hooks.DisposeAsync();
        }

        await base.DisposeAsync();
    }

    /// <summary>One webhook entry pointing at a path of the test server (CA bundle included).</summary>
    protected JsonObject Webhook(string name, string path, JsonArray rules, string failurePolicy = "Fail", int? timeoutSeconds = null, string sideEffects = "None") => new()
    {
        ["name"] = name,
        ["clientConfig"] = new JsonObject { ["url"] = Hooks.UrlOf(path), ["caBundle"] = Hooks.Certificates.CaBundle },
        ["rules"] = rules,
        ["failurePolicy"] = failurePolicy,
        ["sideEffects"] = sideEffects,
        ["admissionReviewVersions"] = new JsonArray("v1"),
        ["timeoutSeconds"] = timeoutSeconds,
    };

    protected static JsonArray Rule(string group, string resource, params string[] operations) =>
        [new JsonObject
        {
            ["apiGroups"] = new JsonArray(group),
            ["apiVersions"] = new JsonArray("*"),
            ["resources"] = new JsonArray(resource),
            ["operations"] = new JsonArray([.. (operations.Length == 0 ? ["*"] : operations).Select(o => (JsonNode)JsonValue.Create(o))]),
        }];

    protected async Task ConfigureAsync(string kind, string name, params JsonObject[] webhooks)
    {
        var plural = kind == "MutatingWebhookConfiguration" ? "mutatingwebhookconfigurations" : "validatingwebhookconfigurations";
        var response = await SendAsync(HttpMethod.Post, $"apis/admissionregistration.k8s.io/v1/{plural}", new JsonObject
        {
            ["apiVersion"] = "admissionregistration.k8s.io/v1",
            ["kind"] = kind,
            ["metadata"] = new JsonObject { ["name"] = name },
            ["webhooks"] = new JsonArray([.. webhooks.Select(w => w.DeepClone())]),
        });
        Assert.True(response.Code == 201, response.Body.ToJsonString());
    }

    protected Task ConfigureMutatingAsync(params JsonObject[] webhooks) => ConfigureAsync("MutatingWebhookConfiguration", "mutate-" + Guid.NewGuid().ToString("N")[..8], webhooks);

    protected Task ConfigureValidatingAsync(params JsonObject[] webhooks) => ConfigureAsync("ValidatingWebhookConfiguration", "validate-" + Guid.NewGuid().ToString("N")[..8], webhooks);

    /// <summary>Sends a request and returns code, body and the Warning headers.</summary>
    protected async Task<HttpAnswer> SendAsync(HttpMethod method, string path, JsonNode? body = null, string contentType = "application/json", string? token = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await Http.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        var warnings = response.Headers.TryGetValues("Warning", out var values) ? values.ToList() : [];
        return new HttpAnswer((int)response.StatusCode, text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject(), warnings);
    }

    protected static JsonObject SecretBody(string name, JsonObject? labels = null) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Secret",
        ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = labels },
        ["stringData"] = new JsonObject { ["k"] = "v" },
    };

    protected sealed record HttpAnswer(int Code, JsonObject Body, IReadOnlyList<string> Warnings)
    {
        public string? Message => Body["message"]?.GetValue<string>();
    }
}
