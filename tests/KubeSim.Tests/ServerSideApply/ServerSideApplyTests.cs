using System.Text.Json.Nodes;
using k8s;
using Xunit;

namespace KubeSim.Tests.ServerSideApply;

/// <summary>Server-side apply over HTTP: ownership, conflicts, forcing, removal, list semantics, status, dry run, bad bodies.</summary>
public sealed class ServerSideApplyTests : SimTestBase
{
    private const string ConfigMaps = "/api/v1/namespaces/test/configmaps";

    private RawApi Api => new(Sim.Url);

    [Fact]
    public async Task Apply_creates_the_object_and_records_the_applier_as_owner_of_what_it_applied()
    {
        await NewNamespaceAsync();
        using var api = Api;

        var (code, created) = await api.ApplyAsync($"{ConfigMaps}/app", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"app","labels":{"team":"a"}},"data":{"mode":"fast"}}""", "?fieldManager=deployer", Ct);

        Assert.Equal(201, code);
        Assert.Equal("fast", created["data"]!["mode"]!.GetValue<string>());
        Assert.Equal(["deployer/Apply"], RawApi.Managers(created));
        Assert.Equal(
            """{"f:data":{".":{},"f:mode":{}},"f:metadata":{"f:labels":{".":{},"f:team":{}}}}""",
            RawApi.Fields(created, "deployer").ToJsonString());
        var entry = created["metadata"]!["managedFields"]![0]!;
        Assert.Equal("v1", entry["apiVersion"]!.GetValue<string>());
        Assert.Equal("FieldsV1", entry["fieldsType"]!.GetValue<string>());
        Assert.NotNull(entry["time"]);
    }

    [Fact]
    public async Task Two_managers_fighting_over_a_field_get_a_409_naming_the_owner_until_one_forces()
    {
        await NewNamespaceAsync();
        using var api = Api;
        await api.ApplyAsync($"{ConfigMaps}/app", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"app"},"data":{"mode":"fast","level":"1"}}""", "?fieldManager=alice", Ct);

        var (code, conflict) = await api.ApplyAsync($"{ConfigMaps}/app", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"app"},"data":{"mode":"slow"}}""", "?fieldManager=bob", Ct);

        Assert.Equal(409, code);
        Assert.Equal("Conflict", conflict["reason"]!.GetValue<string>());
        Assert.Equal("Apply failed with 1 conflict: conflict with \"alice\": .data.mode", conflict["message"]!.GetValue<string>());
        var cause = conflict["details"]!["causes"]![0]!;
        Assert.Equal("FieldManagerConflict", cause["reason"]!.GetValue<string>());
        Assert.Equal("conflict with \"alice\"", cause["message"]!.GetValue<string>());
        Assert.Equal(".data.mode", cause["field"]!.GetValue<string>());
        Assert.Equal("fast", (await api.GetAsync($"{ConfigMaps}/app", Ct)).Body["data"]!["mode"]!.GetValue<string>());

        // Applying the same value is no conflict: the field becomes shared.
        var (sharedCode, shared) = await api.ApplyAsync($"{ConfigMaps}/app", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"app"},"data":{"level":"1"}}""", "?fieldManager=bob", Ct);
        Assert.Equal(200, sharedCode);
        Assert.True(RawApi.Fields(shared, "alice")["f:data"]!["f:level"] is not null && RawApi.Fields(shared, "bob")["f:data"]!["f:level"] is not null);

        var (forcedCode, forced) = await api.ApplyAsync($"{ConfigMaps}/app", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"app"},"data":{"mode":"slow","level":"1"}}""", "?fieldManager=bob&force=true", Ct);
        Assert.Equal(200, forcedCode);
        Assert.Equal("slow", forced["data"]!["mode"]!.GetValue<string>());
        Assert.Null(RawApi.Fields(forced, "alice")["f:data"]!["f:mode"]);
        Assert.NotNull(RawApi.Fields(forced, "bob")["f:data"]!["f:mode"]);
    }

    [Fact]
    public async Task An_update_manager_loses_ownership_to_a_forced_apply_and_conflicts_name_its_api_version()
    {
        await NewNamespaceAsync();
        using var api = Api;
        await api.SendAsync(HttpMethod.Post, ConfigMaps + "?fieldManager=editor", """{"metadata":{"name":"app"},"data":{"mode":"fast"}}""", null, Ct);

        var (code, conflict) = await api.ApplyAsync($"{ConfigMaps}/app", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"app"},"data":{"mode":"slow"}}""", "?fieldManager=gitops", Ct);
        Assert.Equal(409, code);
        Assert.Equal("Apply failed with 1 conflict: conflict with \"editor\" using v1: .data.mode", conflict["message"]!.GetValue<string>());

        var (_, forced) = await api.ApplyAsync($"{ConfigMaps}/app", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"app"},"data":{"mode":"slow"}}""", "?fieldManager=gitops&force=true", Ct);
        Assert.Null(RawApi.Fields(forced, "editor", "Update")["f:data"]!["f:mode"]);
        Assert.NotNull(RawApi.Fields(forced, "gitops")["f:data"]!["f:mode"]);
    }

    [Fact]
    public async Task Conflicts_with_several_managers_are_listed_by_manager()
    {
        await NewNamespaceAsync();
        using var api = Api;
        await api.ApplyAsync($"{ConfigMaps}/app", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"app"},"data":{"a":"1","b":"1"}}""", "?fieldManager=m1", Ct);
        await api.ApplyAsync($"{ConfigMaps}/app", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"app"},"data":{"c":"1"}}""", "?fieldManager=m2", Ct);

        var (code, conflict) = await api.ApplyAsync($"{ConfigMaps}/app", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"app"},"data":{"a":"2","b":"2","c":"2"}}""", "?fieldManager=m3", Ct);

        Assert.Equal(409, code);
        Assert.Equal("Apply failed with 3 conflicts: conflicts with \"m1\":\n- .data.a\n- .data.b\nconflicts with \"m2\":\n- .data.c", conflict["message"]!.GetValue<string>());
        Assert.Equal(3, conflict["details"]!["causes"]!.AsArray().Count);
    }

    [Fact]
    public async Task Fields_an_applier_stops_applying_are_removed_unless_another_manager_owns_them()
    {
        await NewNamespaceAsync();
        using var api = Api;
        await api.ApplyAsync($"{ConfigMaps}/app", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"app","labels":{"x":"1"}},"data":{"a":"1","b":"1","shared":"1"}}""", "?fieldManager=owner", Ct);
        await api.ApplyAsync($"{ConfigMaps}/app", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"app"},"data":{"shared":"1"}}""", "?fieldManager=other", Ct);

        var (code, after) = await api.ApplyAsync($"{ConfigMaps}/app", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"app"},"data":{"a":"1"}}""", "?fieldManager=owner", Ct);

        Assert.Equal(200, code);
        Assert.Equal("""{"a":"1","shared":"1"}""", after["data"]!.ToJsonString());
        Assert.Null(after["metadata"]!["labels"]);
        Assert.Equal("""{"f:data":{".":{},"f:a":{}}}""", RawApi.Fields(after, "owner").ToJsonString());
    }

    [Fact]
    public async Task Lists_merge_by_their_keys_containers_by_name_and_ports_by_port_and_protocol()
    {
        await NewNamespaceAsync();
        using var api = Api;
        const string Path = "/apis/apps/v1/namespaces/test/deployments/web";
        const string Base = """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"main","image":"nginx:1","ports":[{"containerPort":80}]}]}}}}""";
        await api.ApplyAsync(Path, Base, "?fieldManager=platform", Ct);

        var (code, merged) = await api.ApplyAsync(Path, """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"envoy:1"}]}}}}""", "?fieldManager=mesh", Ct);

        Assert.Equal(200, code);
        var containers = merged["spec"]!["template"]!["spec"]!["containers"]!.AsArray();
        Assert.Equal(["main", "sidecar"], containers.Select(c => c!["name"]!.GetValue<string>()));
        var platform = RawApi.Fields(merged, "platform")["f:spec"]!["f:template"]!["f:spec"]!["f:containers"]!;
        Assert.NotNull(platform["k:{\"name\":\"main\"}"]!["f:ports"]!["k:{\"containerPort\":80,\"protocol\":\"TCP\"}"]);
        Assert.NotNull(RawApi.Fields(merged, "mesh")["f:spec"]!["f:template"]!["f:spec"]!["f:containers"]!["k:{\"name\":\"sidecar\"}"]);

        // The mesh manager drops its sidecar: only its own item goes.
        var (_, pruned) = await api.ApplyAsync(Path, """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"}}""", "?fieldManager=mesh", Ct);
        Assert.Equal(["main"], pruned["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Custom_resources_merge_lists_by_x_kubernetes_list_type_and_map_keys()
    {
        await Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(Api_Crd(), cancellationToken: Ct);
        await NewNamespaceAsync();
        using var api = Api;
        const string Path = "/apis/example.com/v1/namespaces/test/gadgets/g";
        await api.ApplyAsync(Path, """{"apiVersion":"example.com/v1","kind":"Gadget","metadata":{"name":"g"},"spec":{"ports":[{"name":"http","port":80}],"tags":["a"],"hosts":["x"]}}""", "?fieldManager=one", Ct);

        var (code, merged) = await api.ApplyAsync(Path, """{"apiVersion":"example.com/v1","kind":"Gadget","metadata":{"name":"g"},"spec":{"ports":[{"name":"https","port":443}],"tags":["b"]}}""", "?fieldManager=two", Ct);

        Assert.Equal(200, code);
        Assert.Equal(["http", "https"], merged["spec"]!["ports"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()));
        Assert.Equal(["a", "b"], merged["spec"]!["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.NotNull(RawApi.Fields(merged, "two")["f:spec"]!["f:tags"]!["v:\"b\""]);

        // hosts is atomic: another applier setting it conflicts on the whole list.
        var (conflictCode, conflict) = await api.ApplyAsync(Path, """{"apiVersion":"example.com/v1","kind":"Gadget","metadata":{"name":"g"},"spec":{"hosts":["y"]}}""", "?fieldManager=two", Ct);
        Assert.Equal(409, conflictCode);
        Assert.Equal(".spec.hosts", conflict["details"]!["causes"]![0]!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task Apply_on_the_status_subresource_owns_status_fields_with_subresource_status()
    {
        await NewNamespaceAsync();
        using var api = Api;
        const string Path = "/apis/apps/v1/namespaces/test/deployments/web";
        await api.ApplyAsync(Path, """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"main","image":"nginx"}]}}},"status":{"replicas":9}}""", "?fieldManager=user", Ct);

        var (code, status) = await api.ApplyAsync(Path + "/status", """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"status":{"observedGeneration":1,"replicas":1}}""", "?fieldManager=controller", Ct);

        Assert.Equal(200, code);
        Assert.Equal(1, status["status"]!["replicas"]!.GetValue<int>());
        Assert.Contains("controller/Apply/status", RawApi.Managers(status));
        Assert.Null(RawApi.Fields(status, "user")["f:status"]);
        var (missing, _) = await api.ApplyAsync("/apis/apps/v1/namespaces/test/deployments/none/status", """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"none"},"status":{"replicas":1}}""", "?fieldManager=controller", Ct);
        Assert.Equal(404, missing);
    }

    [Fact]
    public async Task Dry_run_apply_returns_the_would_be_object_and_stores_nothing()
    {
        await NewNamespaceAsync();
        using var api = Api;
        await api.ApplyAsync($"{ConfigMaps}/app", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"app"},"data":{"mode":"fast"}}""", "?fieldManager=argocd", Ct);
        var before = (await api.GetAsync($"{ConfigMaps}/app", Ct)).Body;

        var (code, predicted) = await api.ApplyAsync($"{ConfigMaps}/app", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"app"},"data":{"mode":"slow"}}""", "?fieldManager=argocd&dryRun=All", Ct);
        var (newCode, newObject) = await api.ApplyAsync($"{ConfigMaps}/fresh", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"fresh"},"data":{"a":"1"}}""", "?fieldManager=argocd&dryRun=All", Ct);

        Assert.Equal(200, code);
        Assert.Equal("slow", predicted["data"]!["mode"]!.GetValue<string>());
        Assert.Equal(["argocd/Apply"], RawApi.Managers(predicted));
        Assert.True(JsonNode.DeepEquals(before, (await api.GetAsync($"{ConfigMaps}/app", Ct)).Body));
        Assert.Equal(201, newCode);
        Assert.Equal("1", newObject["data"]!["a"]!.GetValue<string>());
        Assert.Equal(404, (await api.GetAsync($"{ConfigMaps}/fresh", Ct)).Code);
    }

    [Fact]
    public async Task Reapplying_the_same_configuration_is_a_no_op_that_keeps_the_resource_version()
    {
        await NewNamespaceAsync();
        using var api = Api;
        const string Body = """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"app"},"data":{"mode":"fast"}}""";
        var (_, first) = await api.ApplyAsync($"{ConfigMaps}/app", Body, "?fieldManager=m", Ct);

        var (_, second) = await api.ApplyAsync($"{ConfigMaps}/app", Body, "?fieldManager=m", Ct);

        Assert.Equal(first["metadata"]!["resourceVersion"]!.GetValue<string>(), second["metadata"]!["resourceVersion"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"app"}}""", 422, "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch")]
    [InlineData("?fieldManager=m", """{"apiVersion":"v2","kind":"ConfigMap","metadata":{"name":"app"}}""", 400, "Incorrect version specified in apply patch. Specified patch version: v2, expected: v1")]
    [InlineData("?fieldManager=m", """{"apiVersion":"v1","metadata":{"name":"app"}}""", 400, "Object 'Kind' is missing in '{\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"app\"}}'")]
    [InlineData("?fieldManager=m", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"app","managedFields":[{"manager":"x"}]}}""", 400, "metadata.managedFields must be nil")]
    [InlineData("?fieldManager=m", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"other"}}""", 400, "the name of the object (other) does not match the name on the URL (app)")]
    [InlineData("?fieldManager=m", "kind: [unclosed", 400, "error converting YAML to JSON")]
    [InlineData("?fieldManager=m", "a: 1\na: 2", 400, "Duplicate key")]
    public async Task Bad_apply_requests_get_the_api_servers_status(string query, string body, int expectedCode, string expectedMessage)
    {
        await NewNamespaceAsync();
        using var api = Api;

        var (code, status) = await api.ApplyAsync($"{ConfigMaps}/app", body, query, Ct);

        Assert.Equal(expectedCode, code);
        Assert.Equal("Status", status["kind"]!.GetValue<string>());
        Assert.Contains(expectedMessage, status["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(404, (await api.GetAsync($"{ConfigMaps}/app", Ct)).Code);
    }

    [Fact]
    public async Task A_huge_apply_body_is_refused_with_413_and_an_alias_bomb_with_400()
    {
        await NewNamespaceAsync();
        using var api = Api;
        var huge = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"app\"},\"data\":{\"big\":\"" + new string('x', 4 * 1024 * 1024) + "\"}}";
        var bomb = "a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n";

        var (hugeCode, hugeStatus) = await api.ApplyAsync($"{ConfigMaps}/app", huge, "?fieldManager=m", Ct);
        var (bombCode, bombStatus) = await api.ApplyAsync($"{ConfigMaps}/app", bomb, "?fieldManager=m", Ct);

        Assert.Equal(413, hugeCode);
        Assert.Equal("RequestEntityTooLarge", hugeStatus["reason"]!.GetValue<string>());
        Assert.Equal(400, bombCode);
        Assert.Contains("excessive aliasing", bombStatus["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private static k8s.Models.V1CustomResourceDefinition Api_Crd() => k8s.KubernetesJson.Deserialize<k8s.Models.V1CustomResourceDefinition>("""
        {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"gadgets.example.com"},
         "spec":{"group":"example.com","scope":"Namespaced","names":{"plural":"gadgets","singular":"gadget","kind":"Gadget"},
          "versions":[{"name":"v1","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object","properties":{
            "spec":{"type":"object","properties":{
              "ports":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["name"],"items":{"type":"object","required":["name"],"properties":{"name":{"type":"string"},"port":{"type":"integer"}}}},
              "tags":{"type":"array","x-kubernetes-list-type":"set","items":{"type":"string"}},
              "hosts":{"type":"array","items":{"type":"string"}}}}}}}}]}}
        """);
}
