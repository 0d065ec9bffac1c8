using System.Text.Json.Nodes;
using KubeSim.Tests.Admission;
using Xunit;

namespace KubeSim.Conformance;

/// <summary>
/// Admission webhooks: a Mutating and a Validating WebhookConfiguration calling an HTTPS server the test serves
/// (self-signed CA in caBundle). Every webhook is limited to the case's namespace by a namespaceSelector, so a real
/// cluster's other traffic never reaches it. Against a real cluster these cases need it to call back to this
/// machine (<see cref="ConformanceCluster.WebhookUrlVariable"/>) and skip otherwise, except the unreachable-webhook case.
/// </summary>
public sealed class WebhookCases(ConformanceCluster cluster) : ConformanceCase(cluster)
{
    private const string MergePatch = "application/merge-patch+json";

    [Fact]
    public async Task A_mutating_webhook_patch_is_stored_its_warning_reaches_the_client_and_validating_webhooks_see_the_patched_object()
    {
        var hooks = await Cluster.WebhooksAsync(Ct);
        var mutate = HookPath("mutate");
        var check = HookPath("check");
        hooks.On(mutate, review => NameOf(review) == "web"
            ? TestWebhookServer.Patch([new JsonObject { ["op"] = "add", ["path"] = "/metadata/labels", ["value"] = new JsonObject { ["team"] = "payments" } }], "configmaps here get a team label")
            : TestWebhookServer.Allow());
        await RegisterAsync("Mutating", Webhook(hooks, "team", mutate, "CREATE"));
        await RegisterAsync("Validating", Webhook(hooks, "check", check, "CREATE"));
        await UntilCalledAsync(hooks, mutate, check);

        var created = await Post(ConfigMaps, """{"metadata":{"name":"web"},"data":{"k":"v"}}""");
        var stored = await Get($"{ConfigMaps}/web");

        Assert.Equal(201, created.Code);
        Assert.Equal("payments", created.Body["metadata"]!["labels"]!["team"]!.GetValue<string>());
        Assert.Equal(["299 - \"configmaps here get a team label\""], created.Warnings);
        Assert.Equal("payments", stored.Body["metadata"]!["labels"]!["team"]!.GetValue<string>());
        var review = Reviews(hooks, mutate, "web").Single();
        Assert.Equal("admission.k8s.io/v1", review["apiVersion"]!.GetValue<string>());
        Assert.Equal("AdmissionReview", review["kind"]!.GetValue<string>());
        var request = review["request"]!;
        Assert.Equal("CREATE", request["operation"]!.GetValue<string>());
        Assert.Equal("""{"group":"","version":"v1","kind":"ConfigMap"}""", request["kind"]!.ToJsonString());
        Assert.Equal("""{"group":"","version":"v1","resource":"configmaps"}""", request["resource"]!.ToJsonString());
        Assert.Equal(Ns, request["namespace"]!.GetValue<string>());
        Assert.False(request["dryRun"]!.GetValue<bool>());
        Assert.Equal("CreateOptions", request["options"]!["kind"]!.GetValue<string>());
        Assert.Equal("v", request["object"]!["data"]!["k"]!.GetValue<string>());
        Assert.Null(request["oldObject"]);
        Assert.NotEmpty(request["uid"]!.GetValue<string>());
        var validated = Reviews(hooks, check, "web").Single()["request"]!;
        Assert.Equal("payments", validated["object"]!["metadata"]!["labels"]!["team"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_validating_webhook_denial_is_a_Status_with_its_code_reason_and_message_and_an_allowed_write_carries_its_warning()
    {
        var hooks = await Cluster.WebhooksAsync(Ct);
        var path = HookPath("deny");
        hooks.On(path, review => NameOf(review) switch
        {
            "reserved" => TestWebhookServer.Deny(403, "configmaps named reserved belong to the platform", "Forbidden"),
            "unexplained" => new JsonObject { ["allowed"] = false },
            _ => new JsonObject { ["allowed"] = true, ["warnings"] = new JsonArray("checked by the conformance webhook") },
        });
        await RegisterAsync("Validating", Webhook(hooks, "deny", path, "CREATE"));
        await UntilCalledAsync(hooks, path);
        var webhook = WebhookName("deny");

        var denied = await Post(ConfigMaps, """{"metadata":{"name":"reserved"}}""");
        var unexplained = await Post(ConfigMaps, """{"metadata":{"name":"unexplained"}}""");
        var allowed = await Post(ConfigMaps, """{"metadata":{"name":"fine"}}""");

        Assert.Equal(403, denied.Code);
        Assert.Equal("v1", denied.Body["apiVersion"]!.GetValue<string>());
        Assert.Equal("Status", denied.Body["kind"]!.GetValue<string>());
        Assert.Equal("Failure", denied.Body["status"]!.GetValue<string>());
        Assert.Equal(403, denied.Body["code"]!.GetValue<int>());
        Assert.Equal("Forbidden", denied.Body["reason"]!.GetValue<string>());
        Assert.Equal($"admission webhook \"{webhook}\" denied the request: configmaps named reserved belong to the platform", denied.Body["message"]!.GetValue<string>());
        Assert.Equal(400, unexplained.Code);
        Assert.Equal(400, unexplained.Body["code"]!.GetValue<int>());
        Assert.Null(unexplained.Body["reason"]);
        Assert.Equal("Failure", unexplained.Body["status"]!.GetValue<string>());
        Assert.Equal($"admission webhook \"{webhook}\" denied the request without explanation", unexplained.Body["message"]!.GetValue<string>());
        Assert.Equal(404, (await Get($"{ConfigMaps}/reserved")).Code);
        Assert.Equal(404, (await Get($"{ConfigMaps}/unexplained")).Code);
        Assert.Equal(201, allowed.Code);
        Assert.Equal(["299 - \"checked by the conformance webhook\""], allowed.Warnings);
    }

    [Fact]
    public async Task The_review_names_the_requesting_user_with_its_groups_and_extra()
    {
        var hooks = await Cluster.WebhooksAsync(Ct);
        var path = HookPath("who");
        var user = $"alice@{Ns}";
        // On a real cluster the impersonated user needs the right to create configmaps (KubeSim without EnforceRbac ignores these).
        Assert.Equal(201, (await Post($"/apis/rbac.authorization.k8s.io/v1/namespaces/{Ns}/roles", """{"metadata":{"name":"writer"},"rules":[{"apiGroups":[""],"resources":["configmaps"],"verbs":["create"]}]}""")).Code);
        Assert.Equal(201, (await Post($"/apis/rbac.authorization.k8s.io/v1/namespaces/{Ns}/rolebindings", Template.Fill("""{"metadata":{"name":"writer"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"writer"},"subjects":[{"apiGroup":"rbac.authorization.k8s.io","kind":"User","name":"@0"}]}""", user))).Code);
        await RegisterAsync("Validating", Webhook(hooks, "who", path, "CREATE"));
        await UntilCalledAsync(hooks, path);
        var asAlice = new Dictionary<string, string[]>
        {
            ["Impersonate-User"] = [user],
            ["Impersonate-Group"] = ["conformance-devs"],
            ["Impersonate-Extra-Purpose"] = ["conformance"],
        };

        // The authorizer of a real server learns a new binding from a watch: a 403 right after it is retried.
        var created = await Eventually(async () =>
        {
            var answer = await Cluster.SendAsync(HttpMethod.Post, ConfigMaps, """{"metadata":{"name":"mine"}}""", null, asAlice, Ct);
            return answer.Code == 403 ? null : answer;
        });

        Assert.Equal(201, created.Code);
        var info = Reviews(hooks, path, "mine").Single()["request"]!["userInfo"]!;
        Assert.Equal(user, info["username"]!.GetValue<string>());
        Assert.Equal(["conformance-devs", "system:authenticated"], info["groups"]!.AsArray().Select(g => g!.GetValue<string>()));
        Assert.Equal(["conformance"], info["extra"]!["purpose"]!.AsArray().Select(g => g!.GetValue<string>()));
    }

    [Fact]
    public async Task The_review_of_a_bearer_token_request_carries_the_token_identity()
    {
        Cluster.RequireKubeSim("the token is one of KubeSim's identities (sim.Identities); a real cluster's tokens come from its own authenticators");
        var hooks = await Cluster.WebhooksAsync(Ct);
        var path = HookPath("token");
        var token = $"{Ns}-token";
        Cluster.Sim.Identities.Add(token, "bob", ["payments"], uid: "uid-bob");
        await RegisterAsync("Validating", Webhook(hooks, "token", path, "CREATE"));
        await UntilCalledAsync(hooks, path);

        var created = await Cluster.SendAsync(HttpMethod.Post, ConfigMaps, """{"metadata":{"name":"bobs"}}""", null,
            new Dictionary<string, string[]> { ["Authorization"] = [$"Bearer {token}"] }, Ct);

        Assert.Equal(201, created.Code);
        var info = Reviews(hooks, path, "bobs").Single()["request"]!["userInfo"]!;
        Assert.Equal("bob", info["username"]!.GetValue<string>());
        Assert.Equal("uid-bob", info["uid"]!.GetValue<string>());
        Assert.Equal(["payments", "system:authenticated"], info["groups"]!.AsArray().Select(g => g!.GetValue<string>()));
    }

    [Fact]
    public async Task A_dry_run_reaches_webhooks_flagged_as_dry_run_and_stores_nothing()
    {
        var hooks = await Cluster.WebhooksAsync(Ct);
        var path = HookPath("dry");
        await RegisterAsync("Validating", Webhook(hooks, "dry", path, "CREATE"));
        await UntilCalledAsync(hooks, path);

        var answer = await Post($"{ConfigMaps}?dryRun=All", """{"metadata":{"name":"dry"}}""");

        Assert.Equal(201, answer.Code);
        var request = Reviews(hooks, path, "dry").Single()["request"]!;
        Assert.True(request["dryRun"]!.GetValue<bool>());
        Assert.Equal(["All"], request["options"]!["dryRun"]!.AsArray().Select(d => d!.GetValue<string>()));
        Assert.Equal(404, (await Get($"{ConfigMaps}/dry")).Code);
    }

    [Fact]
    public async Task An_unreachable_webhook_fails_writes_with_500_under_Fail_and_is_skipped_under_Ignore()
    {
        // Port 1 refuses the connection wherever the API server runs, so this case needs no call back.
        JsonObject Unreachable(string name, string failurePolicy)
        {
            var hook = Webhook(null, name, "/", "CREATE");
            hook["clientConfig"] = new JsonObject { ["url"] = "https://127.0.0.1:1/" };
            hook["failurePolicy"] = failurePolicy;
            return hook;
        }

        var configuration = await RegisterAsync("Validating", Unreachable("ignored", "Ignore"), Unreachable("failing", "Fail"));

        var refused = await Eventually(async () => await Post($"{ConfigMaps}?dryRun=All", """{"metadata":{"name":"probe"}}""") is { Code: 500 } r ? r : null);
        var relaxed = await Patch(configuration, """[{"op":"replace","path":"/webhooks/1/failurePolicy","value":"Ignore"}]""", "application/json-patch+json");
        var created = await Eventually(async () => await Post(ConfigMaps, """{"metadata":{"name":"through"}}""") is { Code: 201 } r ? r : null);

        Assert.Equal("InternalError", refused.Body["reason"]!.GetValue<string>());
        var message = refused.Body["message"]!.GetValue<string>();
        Assert.StartsWith($"Internal error occurred: failed calling webhook \"{WebhookName("failing")}\": failed to call webhook: Post \"https://127.0.0.1:1/?timeout=5s\": ", message, StringComparison.Ordinal);
        Assert.Contains("connection refused", message, StringComparison.Ordinal);
        Assert.Equal(200, relaxed.Code);
        Assert.Equal("through", created.Body["metadata"]!["name"]!.GetValue<string>());
    }

    private string HookPath(string name) => $"/{Ns}/{name}";

    private string WebhookName(string name) => $"{name}.{Ns}.conformance.kubesim.io";

    /// <summary>One webhook for configmaps of this case's namespace only, calling a path of the test's server.</summary>
    private JsonObject Webhook(TestWebhookServer? hooks, string name, string path, params string[] operations) => new()
    {
        ["name"] = WebhookName(name),
        ["clientConfig"] = hooks is null ? null : new JsonObject { ["url"] = hooks.UrlOf(path), ["caBundle"] = hooks.Certificates.CaBundle },
        ["rules"] = new JsonArray(new JsonObject
        {
            ["apiGroups"] = new JsonArray(""),
            ["apiVersions"] = new JsonArray("v1"),
            ["resources"] = new JsonArray("configmaps"),
            ["operations"] = new JsonArray([.. operations.Select(o => (JsonNode)JsonValue.Create(o))]),
        }),
        ["namespaceSelector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["kubernetes.io/metadata.name"] = Ns } },
        ["failurePolicy"] = "Fail",
        ["sideEffects"] = "None",
        ["admissionReviewVersions"] = new JsonArray("v1"),
        ["timeoutSeconds"] = 5,
    };

    /// <summary>Creates a Mutating or Validating WebhookConfiguration (deleted with the case); returns its path.</summary>
    private async Task<string> RegisterAsync(string type, params JsonObject[] webhooks)
    {
        var plural = type.ToLowerInvariant() + "webhookconfigurations";
        var name = $"{Ns}-{type.ToLowerInvariant()}";
        var body = new JsonObject
        {
            ["apiVersion"] = "admissionregistration.k8s.io/v1",
            ["kind"] = type + "WebhookConfiguration",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["webhooks"] = new JsonArray([.. webhooks]),
        };
        var created = await Post($"/apis/admissionregistration.k8s.io/v1/{plural}", body.ToJsonString());
        Assert.True(created.Code == 201, created.Body.ToJsonString());
        WebhookConfigurations.Add($"{plural}/{name}");
        return $"/apis/admissionregistration.k8s.io/v1/{plural}/{name}";
    }

    /// <summary>
    /// A real API server starts calling a new configuration a moment after it is created: dry-run creates until
    /// every path has seen one (their reviews are told apart by object name).
    /// </summary>
    private async Task UntilCalledAsync(TestWebhookServer hooks, params string[] paths)
    {
        var probe = "probe-" + Guid.NewGuid().ToString("N")[..8];
        await Eventually(async () =>
        {
            await Post($"{ConfigMaps}?dryRun=All", Template.Fill("""{"metadata":{"name":"@0"}}""", probe));
            return paths.All(p => Reviews(hooks, p, probe).Count > 0) ? "called" : null;
        });
    }

    private static List<JsonObject> Reviews(TestWebhookServer hooks, string path, string objectName) =>
        [.. hooks.Received(path).Where(r => NameOf(r) == objectName)];

    private static string? NameOf(JsonObject review) => review["request"]?["object"]?["metadata"]?["name"]?.GetValue<string>();
}
