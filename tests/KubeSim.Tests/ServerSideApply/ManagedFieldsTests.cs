using System.Text.Json.Nodes;
using Xunit;

namespace KubeSim.Tests.ServerSideApply;

/// <summary>metadata.managedFields recorded on every write, as kube-apiserver records them.</summary>
public sealed class ManagedFieldsTests : SimTestBase
{
    private const string ConfigMaps = "/api/v1/namespaces/test/configmaps";

    [Fact]
    public async Task A_create_records_the_field_manager_query_parameter_else_the_user_agent_program()
    {
        await NewNamespaceAsync();
        using var api = new RawApi(Sim.Url);

        var (_, named) = await api.SendAsync(HttpMethod.Post, ConfigMaps + "?fieldManager=kubectl-create", """{"metadata":{"name":"a","labels":{"x":"1"}},"data":{"k":"v"}}""", null, Ct);
        var (_, byAgent) = await api.SendAsync(HttpMethod.Post, ConfigMaps, """{"metadata":{"name":"b"},"data":{"k":"v"}}""", null, Ct, userAgent: "my-operator/1.2.3 (linux/amd64)");

        Assert.Equal(["kubectl-create/Update"], RawApi.Managers(named));
        Assert.Equal("""{"f:data":{".":{},"f:k":{}},"f:metadata":{"f:labels":{".":{},"f:x":{}}}}""", RawApi.Fields(named, "kubectl-create", "Update").ToJsonString());
        Assert.Equal(["my-operator/Update"], RawApi.Managers(byAgent));
        Assert.Equal("v1", named["metadata"]!["managedFields"]![0]!["apiVersion"]!.GetValue<string>());
    }

    [Fact]
    public async Task Updates_move_ownership_of_changed_fields_and_status_writes_are_recorded_with_their_subresource()
    {
        await NewNamespaceAsync();
        using var api = new RawApi(Sim.Url);
        const string Deployment = """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"replicas":1,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"main","image":"nginx"}]}}}}""";
        await api.SendAsync(HttpMethod.Post, "/apis/apps/v1/namespaces/test/deployments?fieldManager=creator", Deployment, null, Ct);

        var (_, scaled) = await api.SendAsync(HttpMethod.Patch, "/apis/apps/v1/namespaces/test/deployments/web?fieldManager=scaler", """{"spec":{"replicas":3}}""", "application/merge-patch+json", Ct);
        var (_, status) = await api.SendAsync(HttpMethod.Patch, "/apis/apps/v1/namespaces/test/deployments/web/status?fieldManager=ctrl", """{"status":{"replicas":3}}""", "application/merge-patch+json", Ct);

        Assert.Null(RawApi.Fields(scaled, "creator", "Update")["f:spec"]!["f:replicas"]);
        Assert.NotNull(RawApi.Fields(scaled, "scaler", "Update")["f:spec"]!["f:replicas"]);
        Assert.Equal(["creator/Update", "ctrl/Update/status", "scaler/Update"], RawApi.Managers(status).Order(StringComparer.Ordinal));
        Assert.Equal("""{"f:status":{"f:replicas":{}}}""", RawApi.Fields(status, "ctrl", "Update").ToJsonString());
    }

    [Fact]
    public async Task A_write_that_changes_nothing_keeps_resource_version_and_managed_fields()
    {
        await NewNamespaceAsync();
        using var api = new RawApi(Sim.Url);
        var (_, created) = await api.SendAsync(HttpMethod.Post, ConfigMaps + "?fieldManager=a", """{"metadata":{"name":"c"},"data":{"k":"v"}}""", null, Ct);

        var (_, same) = await api.SendAsync(HttpMethod.Patch, $"{ConfigMaps}/c?fieldManager=b", """{"data":{"k":"v"}}""", "application/merge-patch+json", Ct);

        Assert.Equal(created["metadata"]!["resourceVersion"]!.GetValue<string>(), same["metadata"]!["resourceVersion"]!.GetValue<string>());
        Assert.Equal(["a/Update"], RawApi.Managers(same));
    }

    [Fact]
    public async Task Client_sent_managed_fields_replace_the_recorded_ones_and_an_empty_entry_resets_them()
    {
        await NewNamespaceAsync();
        using var api = new RawApi(Sim.Url);
        var (_, created) = await api.SendAsync(HttpMethod.Post, ConfigMaps + "?fieldManager=a", """{"metadata":{"name":"c"},"data":{"k":"v","j":"w"}}""", null, Ct);

        // A PUT without managedFields (a client unaware of them) keeps them.
        var unaware = (JsonObject)created.DeepClone();
        ((JsonObject)unaware["metadata"]!).Remove("managedFields");
        unaware["data"]!["j"] = "changed";
        var (_, kept) = await api.SendAsync(HttpMethod.Put, $"{ConfigMaps}/c?fieldManager=b", unaware.ToJsonString(), null, Ct);
        Assert.NotNull(RawApi.Fields(kept, "a", "Update")["f:data"]!["f:k"]);
        Assert.NotNull(RawApi.Fields(kept, "b", "Update")["f:data"]!["f:j"]);

        // Entries a client writes are taken as given.
        var (_, rewritten) = await api.SendAsync(HttpMethod.Patch, $"{ConfigMaps}/c?fieldManager=b", """{"metadata":{"managedFields":[{"manager":"imported","operation":"Apply","apiVersion":"v1","fieldsType":"FieldsV1","fieldsV1":{"f:data":{"f:k":{}}}}]}}""", "application/merge-patch+json", Ct);
        Assert.Equal(["imported/Apply"], RawApi.Managers(rewritten));

        // Malformed entries are ignored: the recorded ones stay.
        var (_, ignored) = await api.SendAsync(HttpMethod.Patch, $"{ConfigMaps}/c?fieldManager=b", """{"metadata":{"managedFields":[{"manager":"x","fieldsType":"FieldsV9","fieldsV1":{}}]}}""", "application/merge-patch+json", Ct);
        Assert.Equal(["imported/Apply"], RawApi.Managers(ignored));

        // [{}] strips them all.
        var (_, reset) = await api.SendAsync(HttpMethod.Patch, $"{ConfigMaps}/c?fieldManager=b", """{"metadata":{"managedFields":[{}]}}""", "application/merge-patch+json", Ct);
        Assert.Empty(RawApi.Managers(reset));

        // The first apply to an object without managedFields gives its existing fields to before-first-apply.
        var (code, applied) = await api.ApplyAsync($"{ConfigMaps}/c", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"new":"1"}}""", "?fieldManager=gitops", Ct);
        Assert.Equal(200, code);
        Assert.Contains("before-first-apply/Update", RawApi.Managers(applied));
        Assert.NotNull(RawApi.Fields(applied, "before-first-apply", "Update")["f:data"]!["f:k"]);
    }

    [Fact]
    public async Task Invalid_field_managers_are_refused_with_422()
    {
        await NewNamespaceAsync();
        using var api = new RawApi(Sim.Url);

        var (longCode, tooLong) = await api.SendAsync(HttpMethod.Post, ConfigMaps + "?fieldManager=" + new string('m', 129), """{"metadata":{"name":"c"}}""", null, Ct);
        var (forceCode, forced) = await api.SendAsync(HttpMethod.Post, "/api/v1/namespaces/test/configmaps?fieldManager=a", """{"metadata":{"name":"d"}}""", null, Ct);
        var (patchCode, patchForce) = await api.SendAsync(HttpMethod.Patch, $"{ConfigMaps}/d?fieldManager=a&force=true", """{"data":{"k":"v"}}""", "application/merge-patch+json", Ct);

        Assert.Equal(422, longCode);
        Assert.Equal("CreateOptions.meta.k8s.io \"\" is invalid: fieldManager: Too long: may not be more than 128 bytes", tooLong["message"]!.GetValue<string>());
        Assert.Equal(201, forceCode);
        Assert.Equal(422, patchCode);
        Assert.Equal("PatchOptions.meta.k8s.io \"\" is invalid: force: Forbidden: may not be specified for non-apply patch", patchForce["message"]!.GetValue<string>());
        Assert.NotNull(forced["metadata"]);
    }
}
