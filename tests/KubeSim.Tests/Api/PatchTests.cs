using System.Net.Http.Headers;
using System.Text;
using k8s;
using k8s.Models;
using Xunit;

namespace KubeSim.Tests.Api;

public sealed class PatchTests : SimTestBase
{
    [Fact]
    public async Task Merge_patch_merges_maps_and_null_deletes()
    {
        var ns = await NewNamespaceAsync();
        await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "c" },
            Data = new Dictionary<string, string> { ["keep"] = "1", ["drop"] = "2" },
        }, ns, cancellationToken: Ct);

        var patched = await Client.CoreV1.PatchNamespacedConfigMapAsync(
            new V1Patch("""{"data":{"drop":null,"new":"3"}}""", V1Patch.PatchType.MergePatch), "c", ns, cancellationToken: Ct);

        Assert.Equal(new Dictionary<string, string> { ["keep"] = "1", ["new"] = "3" }, patched.Data);
    }

    [Fact]
    public async Task Json_patch_applies_operations_and_a_failed_test_is_422()
    {
        var ns = await NewNamespaceAsync();
        await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "c" },
            Data = new Dictionary<string, string> { ["a"] = "1" },
        }, ns, cancellationToken: Ct);

        var patched = await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(
            """[{"op":"test","path":"/data/a","value":"1"},{"op":"replace","path":"/data/a","value":"2"},{"op":"add","path":"/data/b","value":"x"}]""",
            V1Patch.PatchType.JsonPatch), "c", ns, cancellationToken: Ct);
        Assert.Equal("2", patched.Data["a"]);
        Assert.Equal("x", patched.Data["b"]);

        var (code, status) = await FailureOf(() => Client.CoreV1.PatchNamespacedConfigMapAsync(
            new V1Patch("""[{"op":"test","path":"/data/a","value":"1"}]""", V1Patch.PatchType.JsonPatch), "c", ns, cancellationToken: Ct));
        Assert.Equal(422, code);
        Assert.Equal("Invalid", status.Reason);
    }

    [Fact]
    public async Task Strategic_merge_patch_merges_containers_and_env_by_name()
    {
        var ns = await NewNamespaceAsync();
        await Client.AppsV1.CreateNamespacedDeploymentAsync(Workloads.Deployment("web"), ns, cancellationToken: Ct);

        var patched = await Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(
            """{"spec":{"template":{"spec":{"containers":[{"name":"main","image":"nginx:1.28","env":[{"name":"B","value":"2"}]},{"name":"sidecar","image":"busybox"}]}}}}""",
            V1Patch.PatchType.StrategicMergePatch), "web", ns, cancellationToken: Ct);

        var containers = patched.Spec.Template.Spec.Containers;
        Assert.Equal(["main", "sidecar"], containers.Select(c => c.Name));
        Assert.Equal("nginx:1.28", containers[0].Image);
        Assert.Equal(["A", "B"], containers[0].Env.Select(e => e.Name).Order());
        Assert.Equal(2, patched.Metadata.Generation);
    }

    [Fact]
    public async Task Patch_with_a_stale_resource_version_is_Conflict()
    {
        var ns = await NewNamespaceAsync();
        var created = await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c" } }, ns, cancellationToken: Ct);
        await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"data":{"a":"1"}}""", V1Patch.PatchType.MergePatch), "c", ns, cancellationToken: Ct);

        var (code, _) = await FailureOf(() => Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(
            $$$"""{"metadata":{"resourceVersion":"{{{created.Metadata.ResourceVersion}}}"},"data":{"a":"2"}}""", V1Patch.PatchType.MergePatch), "c", ns, cancellationToken: Ct));

        Assert.Equal(409, code);
    }

    [Fact]
    public async Task Patch_of_a_missing_object_is_NotFound()
    {
        var ns = await NewNamespaceAsync();

        var (code, status) = await FailureOf(() => Client.CoreV1.PatchNamespacedConfigMapAsync(
            new V1Patch("""{"data":{"a":"1"}}""", V1Patch.PatchType.MergePatch), "none", ns, cancellationToken: Ct));

        Assert.Equal(404, code);
        Assert.Equal("NotFound", status.Reason);
    }

    [Fact]
    public async Task Server_side_apply_through_the_csharp_client_merges_into_the_object()
    {
        var ns = await NewNamespaceAsync();
        await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c" }, Data = new Dictionary<string, string> { ["x"] = "1" } }, ns, cancellationToken: Ct);

        var applied = await Client.CoreV1.PatchNamespacedConfigMapAsync(
            new V1Patch("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"a":"b"}}""", V1Patch.PatchType.ApplyPatch), "c", ns, fieldManager: "me", force: true, cancellationToken: Ct);

        Assert.Equal("b", applied.Data["a"]);
        Assert.Equal("1", applied.Data["x"]);
        Assert.Contains(applied.Metadata.ManagedFields, m => m.Manager == "me" && m.Operation == "Apply");
    }
}
