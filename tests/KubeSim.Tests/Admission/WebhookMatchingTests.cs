using k8s;
using System.Text.Json.Nodes;
using Xunit;

namespace KubeSim.Tests.Admission;

/// <summary>Which requests reach a webhook: operations, resources and subresources, scope, namespace and object selectors.</summary>
public sealed class WebhookMatchingTests : WebhookTestBase
{
    [Fact]
    public async Task Operations_filter_calls()
    {
        await NewNamespaceAsync("shop");
        await ConfigureValidatingAsync(Webhook("updates.example.com", "/updates", Rule("", "secrets", "UPDATE")));

        await SendAsync(HttpMethod.Post, "api/v1/namespaces/shop/secrets", SecretBody("s1"));
        await SendAsync(HttpMethod.Patch, "api/v1/namespaces/shop/secrets/s1", new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["a"] = "b" } } }, "application/merge-patch+json");
        await SendAsync(HttpMethod.Delete, "api/v1/namespaces/shop/secrets/s1");

        Assert.Equal(["UPDATE"], Hooks.Received("/updates").Select(r => r["request"]!["operation"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Status_subresource_rules_match_only_status_writes()
    {
        await NewNamespaceAsync("shop");
        await ConfigureValidatingAsync(Webhook("status.example.com", "/status", Rule("apps", "*/status")));
        var deployment = JsonNode.Parse("""{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"selector":{"matchLabels":{"a":"b"}},"template":{"metadata":{"labels":{"a":"b"}},"spec":{"containers":[{"name":"c","image":"i"}]}}}}""")!;

        await SendAsync(HttpMethod.Post, "apis/apps/v1/namespaces/shop/deployments", deployment);
        var status = await SendAsync(HttpMethod.Patch, "apis/apps/v1/namespaces/shop/deployments/web/status", new JsonObject { ["status"] = new JsonObject { ["replicas"] = 1 } }, "application/merge-patch+json");

        Assert.Equal(200, status.Code);
        var review = Hooks.Received("/status").Single()["request"]!;
        Assert.Equal("status", review["subResource"]!.GetValue<string>());
        Assert.Equal("deployments", review["resource"]!["resource"]!.GetValue<string>());
    }

    [Fact]
    public async Task Namespace_selector_uses_the_namespace_labels_and_object_selector_the_object_labels()
    {
        await NewNamespaceAsync("plain");
        await Client.CoreV1.CreateNamespaceAsync(new k8s.Models.V1Namespace { Metadata = new k8s.Models.V1ObjectMeta { Name = "guarded", Labels = new Dictionary<string, string> { ["guard"] = "on" } } }, cancellationToken: Ct);
        var byNamespace = Webhook("ns.example.com", "/ns", Rule("", "secrets"));
        byNamespace["namespaceSelector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["guard"] = "on" } };
        var byObject = Webhook("obj.example.com", "/obj", Rule("", "secrets"));
        byObject["objectSelector"] = new JsonObject { ["matchExpressions"] = new JsonArray(new JsonObject { ["key"] = "watched", ["operator"] = "Exists" }) };
        await ConfigureValidatingAsync(byNamespace, byObject);

        await SendAsync(HttpMethod.Post, "api/v1/namespaces/plain/secrets", SecretBody("a"));
        await SendAsync(HttpMethod.Post, "api/v1/namespaces/guarded/secrets", SecretBody("b"));
        await SendAsync(HttpMethod.Post, "api/v1/namespaces/plain/secrets", SecretBody("c", new JsonObject { ["watched"] = "" }));
        // Removing the label is still seen: the old object matches.
        await SendAsync(HttpMethod.Patch, "api/v1/namespaces/plain/secrets/c", new JsonObject { ["metadata"] = new JsonObject { ["labels"] = null } }, "application/merge-patch+json");

        Assert.Equal(["b"], Hooks.Received("/ns").Select(r => r["request"]!["name"]!.GetValue<string>()));
        Assert.Equal(["c", "c"], Hooks.Received("/obj").Select(r => r["request"]!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Scope_and_wildcards_select_cluster_or_namespaced_resources()
    {
        await NewNamespaceAsync("shop");
        var rules = new JsonArray(new JsonObject
        {
            ["apiGroups"] = new JsonArray("*"),
            ["apiVersions"] = new JsonArray("*"),
            ["resources"] = new JsonArray("*"),
            ["operations"] = new JsonArray("CREATE"),
            ["scope"] = "Cluster",
        });
        await ConfigureValidatingAsync(Webhook("cluster.example.com", "/cluster", rules));

        await SendAsync(HttpMethod.Post, "api/v1/namespaces/shop/secrets", SecretBody("s1"));
        await SendAsync(HttpMethod.Post, "api/v1/namespaces", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "other" } });

        Assert.Equal(["namespaces"], Hooks.Received("/cluster").Select(r => r["request"]!["resource"]!["resource"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Webhook_configurations_themselves_never_go_to_webhooks()
    {
        Hooks.On("/all", _ => TestWebhookServer.Deny(403, "no"));
        await ConfigureValidatingAsync(Webhook("all.example.com", "/all", Rule("*", "*")));

        var removed = await SendAsync(HttpMethod.Delete, $"apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/{ObjectMeta.Name(Sim.Store.List(new ResourceId("admissionregistration.k8s.io", "v1", "validatingwebhookconfigurations"), null)[0])}");

        Assert.Equal(200, removed.Code);
        Assert.Empty(Hooks.Received("/all"));
    }
}
