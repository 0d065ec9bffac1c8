using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Xunit;

namespace KubeSim.Tests.Api;

public sealed class OpenApiAndTableTests : SimTestBase
{
    private const string TableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";

    private async Task<(int Code, JsonNode Body)> GetAsync(string path, string? accept = null)
    {
        using var http = new HttpClient { BaseAddress = Sim.Url };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        using var response = await http.SendAsync(request, Ct);
        return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!);
    }

    private static IEnumerable<(string Path, string Method, JsonObject Operation)> Operations(JsonNode doc) =>
        doc["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject()
            .Where(m => m.Key != "parameters")
            .Select(m => (p.Key, m.Key, m.Value!.AsObject())));

    [Fact]
    public async Task Index_points_at_a_document_for_every_group_version_including_crds()
    {
        await Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(TestCrds.Widget(), cancellationToken: Ct);

        var (code, index) = await GetAsync("openapi/v3");

        Assert.Equal(200, code);
        var paths = index["paths"]!.AsObject().Select(p => p.Key).Order().ToList();
        Assert.Equal(["api/v1", "apis/admissionregistration.k8s.io/v1", "apis/apiextensions.k8s.io/v1", "apis/apps/v1", "apis/authentication.k8s.io/v1", "apis/authorization.k8s.io/v1", "apis/batch/v1", "apis/coordination.k8s.io/v1", "apis/events.k8s.io/v1", "apis/example.com/v1", "apis/networking.k8s.io/v1", "apis/policy/v1", "apis/rbac.authorization.k8s.io/v1", "apis/scheduling.k8s.io/v1"], paths);
        var url = index["paths"]!["apis/example.com/v1"]!["serverRelativeURL"]!.GetValue<string>();
        Assert.StartsWith("/openapi/v3/apis/example.com/v1?hash=", url, StringComparison.Ordinal);
        var (docCode, _) = await GetAsync(url.TrimStart('/'));
        Assert.Equal(200, docCode);
    }

    [Fact]
    public async Task Every_kind_has_a_patch_operation_with_its_gvk_and_a_fieldValidation_parameter()
    {
        await Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(TestCrds.Widget(), cancellationToken: Ct);

        foreach (var d in Sim.Store.Registry.All)
        {
            var path = d.Group.Length == 0 ? $"openapi/v3/api/{d.Version}" : $"openapi/v3/apis/{d.Group}/{d.Version}";
            var (_, doc) = await GetAsync(path);
            var patches = Operations(doc).Where(o => o.Method == "patch" && o.Operation["x-kubernetes-group-version-kind"]!["kind"]!.GetValue<string>() == d.Kind
                && o.Operation["x-kubernetes-group-version-kind"]!["group"]!.GetValue<string>() == d.Group).ToList();
            Assert.True(patches.Count > 0, $"no PATCH for {d.Kind}");
            Assert.All(patches, p => Assert.Contains(p.Operation["parameters"]!.AsArray(), q => q!["name"]!.GetValue<string>() == "fieldValidation"));
        }
    }

    [Fact]
    public async Task Crd_schemas_are_published_under_components_with_their_gvk()
    {
        await Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(TestCrds.Widget(), cancellationToken: Ct);

        var (_, doc) = await GetAsync("openapi/v3/apis/example.com/v1");

        var schema = doc["components"]!["schemas"]!["com.example.v1.Widget"]!;
        Assert.Equal("Widget", schema["x-kubernetes-group-version-kind"]![0]!["kind"]!.GetValue<string>());
        Assert.Equal(10, schema["properties"]!["spec"]!["properties"]!["size"]!["maximum"]!.GetValue<int>());
        Assert.NotNull(doc["components"]!["schemas"]!["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"]);
    }

    [Fact]
    public async Task OpenApi_v2_is_not_served()
    {
        var (code, _) = await GetAsync("openapi/v2");

        Assert.Equal(404, code);
    }

    [Fact]
    public async Task Crd_tables_use_printer_columns_with_jsonpath_filters_and_add_age()
    {
        await Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(TestCrds.Widget(), cancellationToken: Ct);
        var ns = await NewNamespaceAsync();
        await Client.CustomObjects.CreateNamespacedCustomObjectAsync(new JsonObject
        {
            ["apiVersion"] = "example.com/v1",
            ["kind"] = "Widget",
            ["metadata"] = new JsonObject { ["name"] = "w1" },
            ["spec"] = new JsonObject { ["size"] = 3 },
        }, TestCrds.Group, "v1", ns, TestCrds.Plural, cancellationToken: Ct);
        await Client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(new V1Patch(
            """{"status":{"conditions":[{"type":"Synced","status":"False"},{"type":"Ready","status":"True"}]}}""", V1Patch.PatchType.MergePatch),
            TestCrds.Group, "v1", ns, TestCrds.Plural, "w1", cancellationToken: Ct);

        var (code, table) = await GetAsync($"apis/example.com/v1/namespaces/{ns}/widgets", TableAccept);

        Assert.Equal(200, code);
        Assert.Equal("Table", table["kind"]!.GetValue<string>());
        Assert.Equal("meta.k8s.io/v1", table["apiVersion"]!.GetValue<string>());
        Assert.Equal(["Name", "Size", "Ready", "Age"], table["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        var row = Assert.Single(table["rows"]!.AsArray())!;
        var cells = row["cells"]!.AsArray();
        Assert.Equal("w1", cells[0]!.GetValue<string>());
        Assert.Equal(3, cells[1]!.GetValue<int>());
        Assert.Equal("True", cells[2]!.GetValue<string>());
        Assert.EndsWith("s", cells[3]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("PartialObjectMetadata", row["object"]!["kind"]!.GetValue<string>());
        Assert.Equal("w1", row["object"]!["metadata"]!["name"]!.GetValue<string>());
        Assert.NotNull(table["metadata"]!["resourceVersion"]);
    }

    [Fact]
    public async Task Built_in_tables_have_kind_specific_columns()
    {
        var ns = await NewNamespaceAsync();
        await Client.CoreV1.CreateNamespacedSecretAsync(Secret("s", data: new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" }), ns, cancellationToken: Ct);
        await Client.AppsV1.CreateNamespacedDeploymentAsync(Workloads.Deployment("web", replicas: 2), ns, cancellationToken: Ct);

        var (_, secrets) = await GetAsync($"api/v1/namespaces/{ns}/secrets", TableAccept);
        var (_, deployments) = await GetAsync($"apis/apps/v1/namespaces/{ns}/deployments/web", TableAccept);

        Assert.Equal(["Name", "Type", "Data", "Age"], secrets["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        Assert.Equal("Opaque", secrets["rows"]![0]!["cells"]![1]!.GetValue<string>());
        Assert.Equal(2, secrets["rows"]![0]!["cells"]![2]!.GetValue<int>());
        Assert.Equal(["Name", "Ready", "Up-to-date", "Available", "Age"], deployments["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        Assert.Equal("0/2", deployments["rows"]![0]!["cells"]![1]!.GetValue<string>());
    }

    [Fact]
    public async Task IncludeObject_Object_returns_the_full_object_in_rows()
    {
        var ns = await NewNamespaceAsync();
        await Client.CoreV1.CreateNamespacedSecretAsync(Secret("s"), ns, cancellationToken: Ct);

        var (_, table) = await GetAsync($"api/v1/namespaces/{ns}/secrets?includeObject=Object", TableAccept);

        Assert.Equal("Secret", table["rows"]![0]!["object"]!["kind"]!.GetValue<string>());
        Assert.NotNull(table["rows"]![0]!["object"]!["data"]);
    }
}
