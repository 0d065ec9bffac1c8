using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Xunit;

namespace KubeSim.Tests.Api;

public sealed class CrdTests : SimTestBase
{
    private static JsonObject Node(object result) => JsonSerializer.SerializeToNode(result)!.AsObject();

    private static JsonObject Widget(string name, int size) => new()
    {
        ["apiVersion"] = "example.com/v1",
        ["kind"] = "Widget",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject { ["size"] = size, ["color"] = "blue" },
    };

    private async Task<V1CustomResourceDefinition> InstallAsync(V1CustomResourceDefinition? crd = null) =>
        await Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd ?? TestCrds.Widget(), cancellationToken: Ct);

    [Fact]
    public async Task Creating_a_crd_establishes_it_and_serves_its_resource_in_discovery()
    {
        var crd = await InstallAsync();

        Assert.Contains(crd.Status.Conditions, c => c.Type == "Established" && c.Status == "True");
        Assert.Contains(crd.Status.Conditions, c => c.Type == "NamesAccepted" && c.Status == "True");
        Assert.Equal("WidgetList", crd.Status.AcceptedNames.ListKind);
        var groups = await Client.Apis.GetAPIVersionsAsync(Ct);
        Assert.Contains(groups.Groups, g => g.Name == "example.com" && g.PreferredVersion.Version == "v1");
        using var http = new HttpClient { BaseAddress = Sim.Url };
        var resources = JsonNode.Parse(await http.GetStringAsync(new Uri("apis/example.com/v1", UriKind.Relative), Ct))!;
        var widgets = resources["resources"]!.AsArray().Single(r => r!["name"]!.GetValue<string>() == "widgets")!;
        Assert.True(widgets["namespaced"]!.GetValue<bool>());
        Assert.Equal("Widget", widgets["kind"]!.GetValue<string>());
        Assert.Equal("wd", widgets["shortNames"]![0]!.GetValue<string>());
        Assert.Contains(resources["resources"]!.AsArray(), r => r!["name"]!.GetValue<string>() == "widgets/status");
    }

    [Fact]
    public async Task Custom_resources_support_crud_with_kind_and_generation()
    {
        await InstallAsync();
        var ns = await NewNamespaceAsync();

        var created = Node(await Client.CustomObjects.CreateNamespacedCustomObjectAsync(Widget("w1", 3), TestCrds.Group, "v1", ns, TestCrds.Plural, cancellationToken: Ct));
        Assert.Equal("Widget", created["kind"]!.GetValue<string>());
        Assert.Equal(1, created["metadata"]!["generation"]!.GetValue<long>());

        var patched = Node(await Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch("""{"spec":{"size":4}}""", V1Patch.PatchType.MergePatch), TestCrds.Group, "v1", ns, TestCrds.Plural, "w1", cancellationToken: Ct));
        Assert.Equal(4, patched["spec"]!["size"]!.GetValue<int>());
        Assert.Equal(2, patched["metadata"]!["generation"]!.GetValue<long>());

        var list = Node(await Client.CustomObjects.ListNamespacedCustomObjectAsync(TestCrds.Group, "v1", ns, TestCrds.Plural, cancellationToken: Ct));
        Assert.Equal("WidgetList", list["kind"]!.GetValue<string>());
        Assert.Single(list["items"]!.AsArray());

        var deleted = Node(await Client.CustomObjects.DeleteNamespacedCustomObjectAsync(TestCrds.Group, "v1", ns, TestCrds.Plural, "w1", cancellationToken: Ct));
        Assert.Equal("w1", deleted["metadata"]!["name"]!.GetValue<string>());
        var (code, _) = await FailureOf(() => Client.CustomObjects.GetNamespacedCustomObjectAsync(TestCrds.Group, "v1", ns, TestCrds.Plural, "w1", cancellationToken: Ct));
        Assert.Equal(404, code);
    }

    [Fact]
    public async Task Custom_resource_status_subresource_is_separate_from_the_main_endpoint()
    {
        await InstallAsync();
        var ns = await NewNamespaceAsync();
        var widget = Widget("w1", 3);
        widget["status"] = new JsonObject { ["phase"] = "Ignored" };
        var created = Node(await Client.CustomObjects.CreateNamespacedCustomObjectAsync(widget, TestCrds.Group, "v1", ns, TestCrds.Plural, cancellationToken: Ct));
        Assert.Null(created["status"]);

        var status = Node(await Client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch("""{"status":{"conditions":[{"type":"Ready","status":"True"}]},"spec":{"size":9}}""", V1Patch.PatchType.MergePatch),
            TestCrds.Group, "v1", ns, TestCrds.Plural, "w1", cancellationToken: Ct));
        Assert.Equal("True", status["status"]!["conditions"]![0]!["status"]!.GetValue<string>());
        Assert.Equal(3, status["spec"]!["size"]!.GetValue<int>());
        Assert.Equal(1, status["metadata"]!["generation"]!.GetValue<long>());

        var main = Node(await Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch("""{"status":{"conditions":[]},"metadata":{"labels":{"a":"b"}}}""", V1Patch.PatchType.MergePatch),
            TestCrds.Group, "v1", ns, TestCrds.Plural, "w1", cancellationToken: Ct));
        Assert.Single(main["status"]!["conditions"]!.AsArray());
        Assert.Equal("b", main["metadata"]!["labels"]!["a"]!.GetValue<string>());
    }

    [Fact]
    public async Task Without_a_status_subresource_status_is_part_of_the_object_and_bumps_generation()
    {
        await InstallAsync(TestCrds.Widget(statusSubresource: false));
        var ns = await NewNamespaceAsync();
        var widget = Widget("w1", 3);
        widget["status"] = new JsonObject { ["phase"] = "Kept" };

        var created = Node(await Client.CustomObjects.CreateNamespacedCustomObjectAsync(widget, TestCrds.Group, "v1", ns, TestCrds.Plural, cancellationToken: Ct));
        var patched = Node(await Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch("""{"status":{"phase":"Changed"}}""", V1Patch.PatchType.MergePatch), TestCrds.Group, "v1", ns, TestCrds.Plural, "w1", cancellationToken: Ct));

        Assert.Equal("Kept", created["status"]!["phase"]!.GetValue<string>());
        Assert.Equal("Changed", patched["status"]!["phase"]!.GetValue<string>());
        Assert.Equal(2, patched["metadata"]!["generation"]!.GetValue<long>());
        var (code, _) = await FailureOf(() => Client.CustomObjects.GetNamespacedCustomObjectStatusAsync(TestCrds.Group, "v1", ns, TestCrds.Plural, "w1", cancellationToken: Ct));
        Assert.Equal(404, code);
    }

    [Fact]
    public async Task Strategic_merge_patch_on_a_custom_resource_is_415()
    {
        await InstallAsync();
        var ns = await NewNamespaceAsync();
        await Client.CustomObjects.CreateNamespacedCustomObjectAsync(Widget("w1", 3), TestCrds.Group, "v1", ns, TestCrds.Plural, cancellationToken: Ct);

        var (code, status) = await FailureOf(() => Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch("""{"spec":{"size":4}}""", V1Patch.PatchType.StrategicMergePatch), TestCrds.Group, "v1", ns, TestCrds.Plural, "w1", cancellationToken: Ct));

        Assert.Equal(415, code);
        Assert.Equal("UnsupportedMediaType", status.Reason);
    }

    [Fact]
    public async Task Deleting_the_crd_removes_its_objects_and_stops_serving()
    {
        await InstallAsync();
        var ns = await NewNamespaceAsync();
        await Client.CustomObjects.CreateNamespacedCustomObjectAsync(Widget("w1", 3), TestCrds.Group, "v1", ns, TestCrds.Plural, cancellationToken: Ct);

        await Client.ApiextensionsV1.DeleteCustomResourceDefinitionAsync($"{TestCrds.Plural}.{TestCrds.Group}", cancellationToken: Ct);

        // The apiextensions finalizer deletes the instances first, then the CRD goes (asynchronously, as in Kubernetes).
        await Poll.UntilAsync(() => Sim.Store.Get(new ResourceId("apiextensions.k8s.io", "v1", "customresourcedefinitions"), null, $"{TestCrds.Plural}.{TestCrds.Group}") is null, ct: Ct);
        var (code, _) = await FailureOf(() => Client.CustomObjects.ListNamespacedCustomObjectAsync(TestCrds.Group, "v1", ns, TestCrds.Plural, cancellationToken: Ct));
        Assert.Equal(404, code);
        await InstallAsync();
        var list = Node(await Client.CustomObjects.ListNamespacedCustomObjectAsync(TestCrds.Group, "v1", ns, TestCrds.Plural, cancellationToken: Ct));
        Assert.Empty(list["items"]!.AsArray());
    }

    [Fact]
    public async Task A_crd_whose_name_is_not_plural_dot_group_is_Invalid()
    {
        var crd = TestCrds.Widget();
        crd.Metadata.Name = "widget.example.com";

        var (code, status) = await FailureOf(() => InstallAsync(crd));

        Assert.Equal(422, code);
        Assert.Contains(status.Details.Causes, c => c.Field == "metadata.name");
    }

    [Fact]
    public async Task Cluster_scoped_custom_resources_have_no_namespace()
    {
        await InstallAsync(TestCrds.Widget(scope: "Cluster"));

        var created = Node(await Client.CustomObjects.CreateClusterCustomObjectAsync(Widget("global", 1), TestCrds.Group, "v1", TestCrds.Plural, cancellationToken: Ct));

        Assert.Null(created["metadata"]!["namespace"]);
        var read = Node(await Client.CustomObjects.GetClusterCustomObjectAsync(TestCrds.Group, "v1", TestCrds.Plural, "global", cancellationToken: Ct));
        Assert.Equal(created["metadata"]!["uid"]!.GetValue<string>(), read["metadata"]!["uid"]!.GetValue<string>());
    }

    [Fact]
    public async Task Custom_resources_can_be_watched_with_the_generic_client()
    {
        await InstallAsync();
        var ns = await NewNamespaceAsync();
        var received = new TaskCompletionSource<(WatchEventType, object)>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watcher = Client.CustomObjects.WatchListNamespacedCustomObject(TestCrds.Group, "v1", ns, TestCrds.Plural,
            onEvent: (type, obj) => received.TrySetResult((type, obj)), onError: ex => received.TrySetException(ex));

        await Client.CustomObjects.CreateNamespacedCustomObjectAsync(Widget("w1", 3), TestCrds.Group, "v1", ns, TestCrds.Plural, cancellationToken: Ct);

        var (type, obj) = await received.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal(WatchEventType.Added, type);
        Assert.Equal("w1", Node(obj)["metadata"]!["name"]!.GetValue<string>());
    }
}
