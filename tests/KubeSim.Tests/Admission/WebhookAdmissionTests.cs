using k8s;
using System.Text.Json.Nodes;
using k8s.Models;
using Xunit;

namespace KubeSim.Tests.Admission;

public sealed class WebhookAdmissionTests : WebhookTestBase
{
    [Fact]
    public async Task Mutating_webhook_patch_is_applied_and_its_warning_reaches_the_client()
    {
        await NewNamespaceAsync("shop");
        Hooks.On("/mutate", _ => TestWebhookServer.Patch(
            [new JsonObject { ["op"] = "add", ["path"] = "/metadata/labels", ["value"] = new JsonObject { ["mutated"] = "yes" } }],
            "secrets get a label here"));
        await ConfigureMutatingAsync(Webhook("label.example.com", "/mutate", Rule("", "secrets", "CREATE")));

        var answer = await SendAsync(HttpMethod.Post, "api/v1/namespaces/shop/secrets", SecretBody("s1"));

        Assert.Equal(201, answer.Code);
        Assert.Equal("yes", answer.Body["metadata"]!["labels"]!["mutated"]!.GetValue<string>());
        Assert.Equal(["299 - \"secrets get a label here\""], answer.Warnings);
        var stored = await Client.CoreV1.ReadNamespacedSecretAsync("s1", "shop", cancellationToken: Ct);
        Assert.Equal("yes", stored.Metadata.Labels["mutated"]);
    }

    [Fact]
    public async Task Review_carries_the_request_attributes_and_the_token_identity()
    {
        await NewNamespaceAsync("shop");
        Sim.Identities.Add("alice-token", "alice", ["devs"], uid: "uid-alice");
        await ConfigureValidatingAsync(Webhook("record.example.com", "/record", Rule("", "secrets")));

        var created = await SendAsync(HttpMethod.Post, "api/v1/namespaces/shop/secrets?fieldManager=tester", SecretBody("s1"), token: "alice-token");
        Assert.Equal(201, created.Code);
        var updated = await SendAsync(HttpMethod.Patch, "api/v1/namespaces/shop/secrets/s1", new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["a"] = "b" } } }, "application/merge-patch+json", token: "alice-token");
        Assert.Equal(200, updated.Code);

        var reviews = Hooks.Received("/record");
        Assert.Equal(2, reviews.Count);
        var create = reviews[0]["request"]!;
        Assert.Equal("admission.k8s.io/v1", reviews[0]["apiVersion"]!.GetValue<string>());
        Assert.Equal("CREATE", create["operation"]!.GetValue<string>());
        Assert.Equal("s1", create["name"]!.GetValue<string>());
        Assert.Equal("shop", create["namespace"]!.GetValue<string>());
        Assert.Equal("Secret", create["kind"]!["kind"]!.GetValue<string>());
        Assert.Equal("secrets", create["resource"]!["resource"]!.GetValue<string>());
        Assert.Equal("secrets", create["requestResource"]!["resource"]!.GetValue<string>());
        Assert.Equal("alice", create["userInfo"]!["username"]!.GetValue<string>());
        Assert.Equal("uid-alice", create["userInfo"]!["uid"]!.GetValue<string>());
        Assert.Equal(["devs", "system:authenticated"], create["userInfo"]!["groups"]!.AsArray().Select(g => g!.GetValue<string>()));
        Assert.False(create["dryRun"]!.GetValue<bool>());
        Assert.Equal("CreateOptions", create["options"]!["kind"]!.GetValue<string>());
        Assert.Equal("tester", create["options"]!["fieldManager"]!.GetValue<string>());
        Assert.Null(create["oldObject"]);
        Assert.Equal("v", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(create["object"]!["data"]!["k"]!.GetValue<string>())));
        var update = reviews[1]["request"]!;
        Assert.Equal("UPDATE", update["operation"]!.GetValue<string>());
        Assert.Equal("b", update["object"]!["metadata"]!["labels"]!["a"]!.GetValue<string>());
        Assert.Null(update["oldObject"]!["metadata"]!["labels"]);
        Assert.NotEqual(create["uid"]!.GetValue<string>(), update["uid"]!.GetValue<string>());
    }

    [Fact]
    public async Task Validating_webhook_denial_is_a_Status_naming_the_webhook_and_nothing_is_stored()
    {
        await NewNamespaceAsync("shop");
        Hooks.On("/deny", _ => TestWebhookServer.Deny(403, "secrets named s1 are reserved", "Forbidden"));
        await ConfigureValidatingAsync(Webhook("deny.example.com", "/deny", Rule("", "secrets", "CREATE")));

        var answer = await SendAsync(HttpMethod.Post, "api/v1/namespaces/shop/secrets", SecretBody("s1"));

        Assert.Equal(403, answer.Code);
        Assert.Equal("Status", answer.Body["kind"]!.GetValue<string>());
        Assert.Equal("Forbidden", answer.Body["reason"]!.GetValue<string>());
        Assert.Equal("admission webhook \"deny.example.com\" denied the request: secrets named s1 are reserved", answer.Message);
        Assert.Empty((await Client.CoreV1.ListNamespacedSecretAsync("shop", cancellationToken: Ct)).Items);
    }

    [Fact]
    public async Task Denial_without_code_or_message_is_400_without_explanation()
    {
        await NewNamespaceAsync("shop");
        Hooks.On("/deny", _ => new JsonObject { ["allowed"] = false });
        await ConfigureValidatingAsync(Webhook("deny.example.com", "/deny", Rule("", "secrets")));

        var answer = await SendAsync(HttpMethod.Post, "api/v1/namespaces/shop/secrets", SecretBody("s1"));

        Assert.Equal(400, answer.Code);
        Assert.Equal("admission webhook \"deny.example.com\" denied the request without explanation", answer.Message);
    }

    [Fact]
    public async Task Validating_webhooks_see_the_object_after_mutation_and_schema_defaults()
    {
        await NewNamespaceAsync("shop");
        Hooks.On("/mutate", _ => TestWebhookServer.Patch([new JsonObject { ["op"] = "add", ["path"] = "/metadata/labels", ["value"] = new JsonObject { ["tier"] = "gold" } }]));
        Hooks.On("/check", review => review["request"]!["object"]!["metadata"]!["labels"]?["tier"]?.GetValue<string>() == "gold"
            ? TestWebhookServer.Allow()
            : TestWebhookServer.Deny(422, "tier label missing"));
        await ConfigureValidatingAsync(Webhook("check.example.com", "/check", Rule("", "secrets")));
        await ConfigureMutatingAsync(Webhook("tier.example.com", "/mutate", Rule("", "secrets")));

        var answer = await SendAsync(HttpMethod.Post, "api/v1/namespaces/shop/secrets", SecretBody("s1"));

        Assert.Equal(201, answer.Code);
        Assert.Equal("Opaque", Hooks.Received("/check").Single()["request"]!["object"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Mutating_webhooks_run_in_configuration_name_order_each_seeing_the_previous_patch()
    {
        await NewNamespaceAsync("shop");
        Hooks.On("/first", _ => TestWebhookServer.Patch([new JsonObject { ["op"] = "add", ["path"] = "/metadata/labels", ["value"] = new JsonObject { ["order"] = "first" } }]));
        Hooks.On("/second", review => TestWebhookServer.Patch([new JsonObject
        {
            ["op"] = "replace",
            ["path"] = "/metadata/labels/order",
            ["value"] = review["request"]!["object"]!["metadata"]!["labels"]!["order"]!.GetValue<string>() + "-second",
        }]));
        await ConfigureAsync("MutatingWebhookConfiguration", "b-second", Webhook("second.example.com", "/second", Rule("", "secrets")));
        await ConfigureAsync("MutatingWebhookConfiguration", "a-first", Webhook("first.example.com", "/first", Rule("", "secrets")));

        var answer = await SendAsync(HttpMethod.Post, "api/v1/namespaces/shop/secrets", SecretBody("s1"));

        Assert.Equal("first-second", answer.Body["metadata"]!["labels"]!["order"]!.GetValue<string>());
    }

    [Fact]
    public async Task Delete_is_reviewed_with_the_old_object_and_a_denial_keeps_the_object()
    {
        var ns = await NewNamespaceAsync("shop");
        await Client.CoreV1.CreateNamespacedSecretAsync(Secret("keep"), ns, cancellationToken: Ct);
        Hooks.On("/guard", review => TestWebhookServer.Deny(403, $"{review["request"]!["oldObject"]!["metadata"]!["name"]} is protected"));
        await ConfigureValidatingAsync(Webhook("guard.example.com", "/guard", Rule("", "secrets", "DELETE")));

        var answer = await SendAsync(HttpMethod.Delete, "api/v1/namespaces/shop/secrets/keep");

        Assert.Equal(403, answer.Code);
        Assert.Equal("admission webhook \"guard.example.com\" denied the request: keep is protected", answer.Message);
        var review = Hooks.Received("/guard").Single()["request"]!;
        Assert.Equal("DELETE", review["operation"]!.GetValue<string>());
        Assert.Null(review["object"]);
        Assert.Equal("DeleteOptions", review["options"]!["kind"]!.GetValue<string>());
        Assert.NotNull(await Client.CoreV1.ReadNamespacedSecretAsync("keep", ns, cancellationToken: Ct));
    }

    [Fact]
    public async Task Patch_touching_uid_or_status_cannot_change_what_the_server_owns()
    {
        await NewNamespaceAsync("shop");
        Hooks.On("/meddle", _ => TestWebhookServer.Patch(
        [
            new JsonObject { ["op"] = "add", ["path"] = "/metadata/uid", ["value"] = "planted-uid" },
            new JsonObject { ["op"] = "add", ["path"] = "/status", ["value"] = new JsonObject { ["readyReplicas"] = 99 } },
        ]));
        await ConfigureMutatingAsync(Webhook("meddle.example.com", "/meddle", Rule("apps", "deployments")));
        var deployment = new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "Deployment",
            ["metadata"] = new JsonObject { ["name"] = "web" },
            ["spec"] = new JsonObject
            {
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "web" } },
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = "web" } },
                    ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "c", ["image"] = "nginx" }) },
                },
            },
        };

        var created = await SendAsync(HttpMethod.Post, "apis/apps/v1/namespaces/shop/deployments", deployment);
        Assert.Equal(201, created.Code);
        Assert.NotEqual("planted-uid", created.Body["metadata"]!["uid"]!.GetValue<string>());
        Assert.Null(created.Body["status"]?["readyReplicas"]);

        var updated = await SendAsync(HttpMethod.Patch, "apis/apps/v1/namespaces/shop/deployments/web", new JsonObject { ["spec"] = new JsonObject { ["replicas"] = 3 } }, "application/merge-patch+json");
        Assert.Equal(409, updated.Code);
        Assert.Contains("Precondition failed: UID in precondition: planted-uid", updated.Message, StringComparison.Ordinal);
        var stored = await Client.AppsV1.ReadNamespacedDeploymentAsync("web", "shop", cancellationToken: Ct);
        Assert.Equal(created.Body["metadata"]!["uid"]!.GetValue<string>(), stored.Metadata.Uid);
        Assert.Equal(1, stored.Spec.Replicas);
    }

    [Fact]
    public async Task Dry_run_reaches_webhooks_flagged_and_stores_nothing()
    {
        await NewNamespaceAsync("shop");
        await ConfigureValidatingAsync(Webhook("dry.example.com", "/dry", Rule("", "secrets"), sideEffects: "NoneOnDryRun"));

        var answer = await SendAsync(HttpMethod.Post, "api/v1/namespaces/shop/secrets?dryRun=All", SecretBody("s1"));

        Assert.Equal(201, answer.Code);
        Assert.True(Hooks.Received("/dry").Single()["request"]!["dryRun"]!.GetValue<bool>());
        Assert.Empty((await Client.CoreV1.ListNamespacedSecretAsync("shop", cancellationToken: Ct)).Items);
    }

    [Fact]
    public async Task Dry_run_is_refused_by_a_webhook_with_side_effects_without_calling_it()
    {
        await NewNamespaceAsync("shop");
        // v1 refuses sideEffects "Some" on create (tested elsewhere); a configuration stored in-process bypasses that.
        var webhook = Webhook("effects.example.com", "/effects", Rule("", "secrets"));
        webhook["sideEffects"] = "Some";
        Sim.Store.Create(new ResourceId("admissionregistration.k8s.io", "v1", "validatingwebhookconfigurations"), null, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "effects" },
            ["webhooks"] = new JsonArray(webhook),
        });

        var dry = await SendAsync(HttpMethod.Post, "api/v1/namespaces/shop/secrets?dryRun=All", SecretBody("s1"));
        var real = await SendAsync(HttpMethod.Post, "api/v1/namespaces/shop/secrets", SecretBody("s1"));

        Assert.Equal(400, dry.Code);
        Assert.Equal("admission webhook \"effects.example.com\" does not support dry run", dry.Message);
        Assert.Equal(201, real.Code);
        Assert.Single(Hooks.Received("/effects"));
    }

    [Fact]
    public async Task Token_in_the_identity_table_and_impersonation_both_reach_userInfo()
    {
        await NewNamespaceAsync("shop");
        Sim.Identities.Add("sa-token", "system:serviceaccount:shop:builder", uid: "sa-uid");
        await ConfigureValidatingAsync(Webhook("record.example.com", "/record", Rule("", "configmaps")));
        var cm = new JsonObject { ["metadata"] = new JsonObject { ["name"] = "c1" } };

        Assert.Equal(201, (await SendAsync(HttpMethod.Post, "api/v1/namespaces/shop/configmaps", cm, token: "sa-token")).Code);
        using (var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/namespaces/shop/configmaps") { Content = new StringContent("{\"metadata\":{\"name\":\"c2\"}}", System.Text.Encoding.UTF8, "application/json") })
        {
            request.Headers.Add("Impersonate-User", "bob");
            request.Headers.Add("Impersonate-Group", "auditors");
            request.Headers.Add("Impersonate-Extra-Scopes", "read");
            using var response = await Http.SendAsync(request, Ct);
            Assert.Equal(201, (int)response.StatusCode);
        }

        var users = Hooks.Received("/record").Select(r => r["request"]!["userInfo"]!).ToList();
        Assert.Equal("system:serviceaccount:shop:builder", users[0]["username"]!.GetValue<string>());
        Assert.Equal(["system:serviceaccounts", "system:serviceaccounts:shop", "system:authenticated"], users[0]["groups"]!.AsArray().Select(g => g!.GetValue<string>()));
        Assert.Equal("bob", users[1]["username"]!.GetValue<string>());
        Assert.Equal(["auditors", "system:authenticated"], users[1]["groups"]!.AsArray().Select(g => g!.GetValue<string>()));
        Assert.Equal("read", users[1]["extra"]!["scopes"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Webhook_configurations_are_served_for_kubectl_apply_and_defaulted()
    {
        await ConfigureValidatingAsync(Webhook("plain.example.com", "/plain", Rule("", "secrets")));

        var list = await SendAsync(HttpMethod.Get, "apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations");
        var webhook = list.Body["items"]![0]!["webhooks"]![0]!;
        Assert.Equal("ValidatingWebhookConfigurationList", list.Body["kind"]!.GetValue<string>());
        Assert.Equal("Equivalent", webhook["matchPolicy"]!.GetValue<string>());
        Assert.Equal(10, webhook["timeoutSeconds"]!.GetValue<int>());
        Assert.Equal("*", webhook["rules"]![0]!["scope"]!.GetValue<string>());
        var resources = await Client.AdmissionregistrationV1.GetAPIResourcesAsync(Ct);
        Assert.Equal(["mutatingwebhookconfigurations", "validatingwebhookconfigurations"], resources.Resources.Select(r => r.Name).Order());
        Assert.All(resources.Resources, r => Assert.False(r.Namespaced));
    }

    [Fact]
    public async Task Invalid_webhook_configurations_are_422_with_each_field_named()
    {
        var webhook = Webhook("two.segments", "/x", Rule("", "secrets"), timeoutSeconds: 31);
        webhook["clientConfig"] = new JsonObject { ["url"] = "http://127.0.0.1:1/x" };
        webhook["admissionReviewVersions"] = new JsonArray("v1beta2");
        webhook["sideEffects"] = "Some";

        var answer = await SendAsync(HttpMethod.Post, "apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "bad" },
            ["webhooks"] = new JsonArray(webhook),
        });

        Assert.Equal(422, answer.Code);
        var causes = answer.Body["details"]!["causes"]!.AsArray().Select(c => (c!["field"]!.GetValue<string>(), c["message"]!.GetValue<string>())).ToList();
        Assert.Contains(("webhooks[0].name", "Invalid value: \"two.segments\": should be a domain with at least three segments separated by dots"), causes);
        Assert.Contains(("webhooks[0].timeoutSeconds", "Invalid value: 31: the timeout value must be between 1 and 30 seconds"), causes);
        Assert.Contains(("webhooks[0].clientConfig.url", "Invalid value: \"http\": 'https' is the only allowed URL scheme"), causes);
        Assert.Contains(("webhooks[0].sideEffects", "Unsupported value: \"Some\": supported values: \"None\", \"NoneOnDryRun\""), causes);
        Assert.Contains(causes, c => c.Item1 == "webhooks[0].admissionReviewVersions");
        Assert.StartsWith("ValidatingWebhookConfiguration.admissionregistration.k8s.io \"bad\" is invalid", answer.Message, StringComparison.Ordinal);
    }
}
