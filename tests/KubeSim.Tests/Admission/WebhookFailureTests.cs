using k8s;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Xunit;

namespace KubeSim.Tests.Admission;

/// <summary>Hostile and broken webhooks: unreachable, slow, garbage, wrong uid, bad patches, untrusted certificates.</summary>
public sealed class WebhookFailureTests : WebhookTestBase
{
    [Fact]
    public async Task Unreachable_webhook_fails_the_write_under_Fail_and_is_skipped_under_Ignore()
    {
        await NewNamespaceAsync("shop");
        var port = ClosedPort();
        var fail = Webhook("down.example.com", "/x", Rule("", "secrets"));
        fail["clientConfig"]!["url"] = $"https://127.0.0.1:{port}/x";
        await ConfigureValidatingAsync(fail);

        var refused = await SendAsync(HttpMethod.Post, "api/v1/namespaces/shop/secrets", SecretBody("s1"));

        Assert.Equal(500, refused.Code);
        Assert.Equal("InternalError", refused.Body["reason"]!.GetValue<string>());
        Assert.Equal($"Internal error occurred: failed calling webhook \"down.example.com\": failed to call webhook: Post \"https://127.0.0.1:{port}/x?timeout=10s\": dial tcp 127.0.0.1:{port}: connect: connection refused", refused.Message);

        foreach (var config in Sim.Store.List(new ResourceId("admissionregistration.k8s.io", "v1", "validatingwebhookconfigurations"), null))
        {
            Sim.Store.Delete(new ResourceId("admissionregistration.k8s.io", "v1", "validatingwebhookconfigurations"), null, ObjectMeta.Name(config));
        }

        var ignore = Webhook("down.example.com", "/x", Rule("", "secrets"), failurePolicy: "Ignore");
        ignore["clientConfig"]!["url"] = $"https://127.0.0.1:{port}/x";
        await ConfigureValidatingAsync(ignore);
        Assert.Equal(201, (await SendAsync(HttpMethod.Post, "api/v1/namespaces/shop/secrets", SecretBody("s1"))).Code);
    }

    [Fact]
    public async Task Webhook_slower_than_its_timeout_fails_with_context_deadline_exceeded()
    {
        await NewNamespaceAsync("shop");
        Hooks.OnRaw("/slow", async review =>
        {
            await Task.Delay(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
            return "{}";
        });
        await ConfigureValidatingAsync(Webhook("slow.example.com", "/slow", Rule("", "secrets"), timeoutSeconds: 1));

        var started = DateTime.UtcNow;
        var answer = await SendAsync(HttpMethod.Post, "api/v1/namespaces/shop/secrets", SecretBody("s1"));

        Assert.Equal(500, answer.Code);
        Assert.Equal($"Internal error occurred: failed calling webhook \"slow.example.com\": failed to call webhook: Post \"{Hooks.UrlOf("/slow")}?timeout=1s\": context deadline exceeded", answer.Message);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(4.5), "the call must be cut at timeoutSeconds, not wait for the webhook");
    }

    [Fact]
    public async Task Garbage_or_a_foreign_uid_is_an_invalid_response()
    {
        await NewNamespaceAsync("shop");
        Hooks.OnRaw("/garbage", _ => Task.FromResult("<html>not json</html>"));
        await ConfigureValidatingAsync(Webhook("garbage.example.com", "/garbage", Rule("", "secrets")));

        var garbage = await SendAsync(HttpMethod.Post, "api/v1/namespaces/shop/secrets", SecretBody("s1"));

        Assert.Equal(500, garbage.Code);
        Assert.StartsWith("Internal error occurred: failed calling webhook \"garbage.example.com\": failed to call webhook: couldn't get version/kind; json parse error:", garbage.Message, StringComparison.Ordinal);

        Hooks.On("/garbage", _ => new JsonObject { ["uid"] = "replayed-uid", ["allowed"] = true });
        var replayed = await SendAsync(HttpMethod.Post, "api/v1/namespaces/shop/secrets", SecretBody("s1"));

        Assert.Equal(500, replayed.Code);
        Assert.Matches("^Internal error occurred: failed calling webhook \"garbage.example.com\": received invalid webhook response: expected response.uid=\"[0-9a-f-]{36}\", got \"replayed-uid\"$", replayed.Message!);
        Assert.Empty((await Client.CoreV1.ListNamespacedSecretAsync("shop", cancellationToken: Ct)).Items);
    }

    [Fact]
    public async Task A_validating_webhook_may_not_patch()
    {
        await NewNamespaceAsync("shop");
        Hooks.On("/sneaky", _ => TestWebhookServer.Patch([new JsonObject { ["op"] = "add", ["path"] = "/metadata/labels", ["value"] = new JsonObject { ["x"] = "y" } }]));
        await ConfigureValidatingAsync(Webhook("sneaky.example.com", "/sneaky", Rule("", "secrets")));

        var answer = await SendAsync(HttpMethod.Post, "api/v1/namespaces/shop/secrets", SecretBody("s1"));

        Assert.Equal(500, answer.Code);
        Assert.Equal("Internal error occurred: failed calling webhook \"sneaky.example.com\": received invalid webhook response: validating webhook may not return response.patch", answer.Message);
    }

    [Fact]
    public async Task A_patch_that_does_not_apply_fails_the_write_even_under_Ignore()
    {
        await NewNamespaceAsync("shop");
        Hooks.On("/broken", _ => TestWebhookServer.Patch([new JsonObject { ["op"] = "replace", ["path"] = "/spec/missing", ["value"] = 1 }]));
        await ConfigureMutatingAsync(Webhook("broken.example.com", "/broken", Rule("", "secrets"), failurePolicy: "Ignore"));

        var answer = await SendAsync(HttpMethod.Post, "api/v1/namespaces/shop/secrets", SecretBody("s1"));

        Assert.Equal(500, answer.Code);
        Assert.StartsWith("Internal error occurred: admission webhook \"broken.example.com\" returned a patch that could not be applied:", answer.Message, StringComparison.Ordinal);
        Assert.Empty((await Client.CoreV1.ListNamespacedSecretAsync("shop", cancellationToken: Ct)).Items);
    }

    [Fact]
    public async Task A_patch_without_patchType_is_an_invalid_response()
    {
        await NewNamespaceAsync("shop");
        Hooks.On("/untyped", _ =>
        {
            var response = TestWebhookServer.Patch([new JsonObject { ["op"] = "add", ["path"] = "/metadata/labels", ["value"] = new JsonObject() }]);
            response.Remove("patchType");
            return response;
        });
        await ConfigureMutatingAsync(Webhook("untyped.example.com", "/untyped", Rule("", "secrets")));

        var answer = await SendAsync(HttpMethod.Post, "api/v1/namespaces/shop/secrets", SecretBody("s1"));

        Assert.Equal("Internal error occurred: failed calling webhook \"untyped.example.com\": received invalid webhook response: webhook returned response.patch but not response.patchType", answer.Message);
    }

    [Fact]
    public async Task Certificate_from_another_CA_is_refused_and_the_webhook_never_sees_the_object()
    {
        await NewNamespaceAsync("shop");
        using var other = TestCertificates.Create();
        var webhook = Webhook("mitm.example.com", "/mitm", Rule("", "secrets"));
        webhook["clientConfig"]!["caBundle"] = other.CaBundle;
        await ConfigureValidatingAsync(webhook);

        var answer = await SendAsync(HttpMethod.Post, "api/v1/namespaces/shop/secrets", SecretBody("s1"));

        Assert.Equal(500, answer.Code);
        Assert.Equal($"Internal error occurred: failed calling webhook \"mitm.example.com\": failed to call webhook: Post \"{Hooks.UrlOf("/mitm")}?timeout=10s\": tls: failed to verify certificate: x509: certificate signed by unknown authority", answer.Message);
        Assert.Empty(Hooks.Received("/mitm"));
    }

    [Fact]
    public async Task Service_reference_goes_to_the_mapped_endpoint_and_checks_the_service_name()
    {
        await NewNamespaceAsync("shop");
        var webhook = Webhook("svc.example.com", "/svc", Rule("", "secrets"));
        webhook["clientConfig"] = new JsonObject
        {
            ["service"] = new JsonObject { ["namespace"] = "webhooks", ["name"] = "hook", ["path"] = "/svc", ["port"] = 8443 },
            ["caBundle"] = Hooks.Certificates.CaBundle,
        };
        await ConfigureValidatingAsync(webhook);

        var unmapped = await SendAsync(HttpMethod.Post, "api/v1/namespaces/shop/secrets", SecretBody("s1"));
        Assert.Equal(500, unmapped.Code);
        Assert.Contains("Post \"https://hook.webhooks.svc:8443/svc?timeout=10s\"", unmapped.Message, StringComparison.Ordinal);

        Sim.Admission.MapService("webhooks", "hook", Hooks.Url, 8443);
        Assert.Equal(201, (await SendAsync(HttpMethod.Post, "api/v1/namespaces/shop/secrets", SecretBody("s1"))).Code);
        Assert.Single(Hooks.Received("/svc"));

        // The same server under a service name its certificate does not carry is refused.
        Sim.Admission.MapService("webhooks", "other", Hooks.Url, 8443);
        webhook["name"] = "other.example.com";
        webhook["clientConfig"]!["service"]!["name"] = "other";
        await ConfigureValidatingAsync(webhook);
        var wrongName = await SendAsync(HttpMethod.Post, "api/v1/namespaces/shop/secrets", SecretBody("s2"));
        Assert.Equal(500, wrongName.Code);
        Assert.EndsWith("tls: failed to verify certificate: x509: certificate is not valid for other.webhooks.svc", wrongName.Message, StringComparison.Ordinal);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
