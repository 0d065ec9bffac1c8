using System.Text.Json.Nodes;
using Xunit;

namespace KubeSim.Conformance;

/// <summary>Status codes and Status bodies, resourceVersion and generation rules.</summary>
public sealed class ApiSemanticsCases(ConformanceCluster cluster) : ConformanceCase(cluster)
{
    [Fact]
    public async Task Missing_objects_are_404_with_a_NotFound_status_naming_the_resource()
    {
        var missing = await Get($"{ConfigMaps}/absent");

        Assert.Equal(404, missing.Code);
        Assert.Equal("Status", missing.Body["kind"]!.GetValue<string>());
        Assert.Equal("Failure", missing.Body["status"]!.GetValue<string>());
        Assert.Equal("NotFound", missing.Body["reason"]!.GetValue<string>());
        Assert.Equal("configmaps \"absent\" not found", missing.Body["message"]!.GetValue<string>());
        Assert.Equal("configmaps", missing.Body["details"]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task Creating_twice_is_409_AlreadyExists_and_a_stale_update_is_409_Conflict()
    {
        var first = await Post(ConfigMaps, """{"metadata":{"name":"c"},"data":{"k":"1"}}""");
        var again = await Post(ConfigMaps, """{"metadata":{"name":"c"}}""");
        var fresh = await Put($"{ConfigMaps}/c", Template.Fill("""{"metadata":{"name":"c","resourceVersion":"@0"},"data":{"k":"2"}}""", ResourceVersion(first.Body)));
        var stale = await Put($"{ConfigMaps}/c", Template.Fill("""{"metadata":{"name":"c","resourceVersion":"@0"},"data":{"k":"3"}}""", ResourceVersion(first.Body)));

        Assert.Equal(201, first.Code);
        Assert.Equal(409, again.Code);
        Assert.Equal("AlreadyExists", again.Body["reason"]!.GetValue<string>());
        Assert.Equal(200, fresh.Code);
        Assert.Equal(409, stale.Code);
        Assert.Equal("Conflict", stale.Body["reason"]!.GetValue<string>());
        Assert.Equal("Operation cannot be fulfilled on configmaps \"c\": the object has been modified; please apply your changes to the latest version and try again", stale.Body["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Resource_version_changes_on_every_change_and_not_on_a_no_op_write()
    {
        var created = await Post(ConfigMaps, """{"metadata":{"name":"c"},"data":{"k":"1"}}""");
        var same = await Patch($"{ConfigMaps}/c", """{"data":{"k":"1"}}""", "application/merge-patch+json");
        var changed = await Patch($"{ConfigMaps}/c", """{"data":{"k":"2"}}""", "application/merge-patch+json");

        Assert.Equal(ResourceVersion(created.Body), ResourceVersion(same.Body));
        Assert.NotEqual(ResourceVersion(created.Body), ResourceVersion(changed.Body));
    }

    [Fact]
    public async Task Generation_counts_spec_changes_only()
    {
        var path = $"/apis/apps/v1/namespaces/{Ns}/deployments";
        var created = await Post(path, Workloads.Deployment("web", replicas: 1));
        var labelled = await Patch($"{path}/web", """{"metadata":{"labels":{"x":"y"}}}""", "application/merge-patch+json");
        var scaled = await Patch($"{path}/web", """{"spec":{"replicas":2}}""", "application/merge-patch+json");

        Assert.Equal(1, Generation(created.Body));
        Assert.Equal(1, Generation(labelled.Body));
        Assert.Equal(2, Generation(scaled.Body));
    }

    [Fact]
    public async Task An_invalid_name_is_422_Invalid_naming_the_field()
    {
        var invalid = await Post(ConfigMaps, """{"metadata":{"name":"Not_A_Name"}}""");

        Assert.Equal(422, invalid.Code);
        Assert.Equal("Invalid", invalid.Body["reason"]!.GetValue<string>());
        Assert.Equal("metadata.name", invalid.Body["details"]!["causes"]![0]!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task Patch_types_merge_json_and_strategic_all_apply()
    {
        await Post($"/apis/apps/v1/namespaces/{Ns}/deployments", Workloads.Deployment("web", replicas: 1));
        var path = $"/apis/apps/v1/namespaces/{Ns}/deployments/web";

        var merge = await Patch(path, """{"metadata":{"annotations":{"a":"1"}}}""", "application/merge-patch+json");
        var json = await Patch(path, """[{"op":"replace","path":"/spec/replicas","value":3}]""", "application/json-patch+json");
        var strategic = await Patch(path, """{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"busybox"}]}}}}""", "application/strategic-merge-patch+json");
        var failedTest = await Patch(path, """[{"op":"test","path":"/spec/replicas","value":7}]""", "application/json-patch+json");

        Assert.Equal("1", merge.Body["metadata"]!["annotations"]!["a"]!.GetValue<string>());
        Assert.Equal(3, json.Body["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal(["main", "sidecar"], strategic.Body["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()).Order());
        Assert.Equal(422, failedTest.Code);
    }

    [Fact]
    public async Task Server_side_apply_conflicts_are_409_with_FieldManagerConflict_causes()
    {
        var body = """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"k":"1"}}""";
        var first = await Patch($"{ConfigMaps}/c?fieldManager=one", body, "application/apply-patch+yaml");
        var conflict = await Patch($"{ConfigMaps}/c?fieldManager=two", body.Replace("\"1\"", "\"2\"", StringComparison.Ordinal), "application/apply-patch+yaml");
        var forced = await Patch($"{ConfigMaps}/c?fieldManager=two&force=true", body.Replace("\"1\"", "\"2\"", StringComparison.Ordinal), "application/apply-patch+yaml");

        Assert.Equal(201, first.Code);
        Assert.Equal(409, conflict.Code);
        Assert.Equal("Apply failed with 1 conflict: conflict with \"one\": .data.k", conflict.Body["message"]!.GetValue<string>());
        Assert.Equal("FieldManagerConflict", conflict.Body["details"]!["causes"]![0]!["reason"]!.GetValue<string>());
        Assert.Equal(200, forced.Code);
        var managers = forced.Body["metadata"]!["managedFields"]!.AsArray().Select(m => m!["manager"]!.GetValue<string>());
        Assert.Contains("two", managers);
    }
}
