using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Xunit;

namespace KubeSim.Tests.BuiltIns;

/// <summary>kubectl get and kubectl apply see the added built-ins like the existing ones: printer columns and OpenAPI.</summary>
public sealed class BuiltInTableAndOpenApiTests : SimTestBase
{
    private const string TableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";

    private async Task<JsonNode> GetAsync(string path, string? accept = null)
    {
        using var http = new HttpClient { BaseAddress = Sim.Url };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        using var response = await http.SendAsync(request, Ct);
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode}");
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
    }

    private static (List<string> Columns, List<string> Cells) Row(JsonNode table) =>
        ([.. table["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.GetValue<string>())],
         [.. table["rows"]!.AsArray().Single()!["cells"]!.AsArray().Select(Cell)]);

    private static string Cell(JsonNode? cell) => cell is JsonValue v && v.TryGetValue<string>(out var text) ? text : cell!.ToJsonString();

    [Fact]
    public async Task Service_table_shows_type_cluster_ip_and_ports()
    {
        var ns = await NewNamespaceAsync();
        var service = await Client.CoreV1.CreateNamespacedServiceAsync(new V1Service
        {
            Metadata = new V1ObjectMeta { Name = "web" },
            Spec = new V1ServiceSpec { Ports = [new V1ServicePort { Port = 80 }, new V1ServicePort { Name = "metrics", Port = 9090 }] },
        }, ns, cancellationToken: Ct);

        var (columns, cells) = Row(await GetAsync($"api/v1/namespaces/{ns}/services", TableAccept));

        Assert.Equal(["Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age"], columns);
        Assert.Equal(["web", "ClusterIP", service.Spec.ClusterIP, "<none>", "80/TCP,9090/TCP"], cells[..5]);
    }

    [Fact]
    public async Task Binding_and_budget_tables_show_the_role_and_the_disruption_limits()
    {
        var ns = await NewNamespaceAsync();
        await Client.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(new V1RoleBinding
        {
            Metadata = new V1ObjectMeta { Name = "leases" },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = "leader-election" },
        }, ns, cancellationToken: Ct);
        await Client.PolicyV1.CreateNamespacedPodDisruptionBudgetAsync(new V1PodDisruptionBudget
        {
            Metadata = new V1ObjectMeta { Name = "web" },
            Spec = new V1PodDisruptionBudgetSpec { MaxUnavailable = "25%" },
        }, ns, cancellationToken: Ct);

        var (bindingColumns, bindingCells) = Row(await GetAsync($"apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings", TableAccept));
        var (budgetColumns, budgetCells) = Row(await GetAsync($"apis/policy/v1/namespaces/{ns}/poddisruptionbudgets", TableAccept));

        Assert.Equal(["Name", "Role", "Age"], bindingColumns);
        Assert.Equal(["leases", "Role/leader-election"], bindingCells[..2]);
        Assert.Equal(["Name", "Min Available", "Max Unavailable", "Allowed Disruptions", "Age"], budgetColumns);
        Assert.Equal(["web", "N/A", "25%", "0"], budgetCells[..4]);
    }

    [Theory]
    [InlineData("apis/rbac.authorization.k8s.io/v1", "ClusterRole", "/apis/rbac.authorization.k8s.io/v1/clusterroles/{name}")]
    [InlineData("apis/rbac.authorization.k8s.io/v1", "RoleBinding", "/apis/rbac.authorization.k8s.io/v1/namespaces/{namespace}/rolebindings/{name}")]
    [InlineData("apis/policy/v1", "PodDisruptionBudget", "/apis/policy/v1/namespaces/{namespace}/poddisruptionbudgets/{name}/status")]
    [InlineData("api/v1", "Service", "/api/v1/namespaces/{namespace}/services/{name}")]
    public async Task OpenApi_documents_describe_the_new_kinds_for_kubectl_apply(string groupVersion, string kind, string path)
    {
        var index = await GetAsync("openapi/v3");
        var url = index["paths"]![groupVersion]!["serverRelativeURL"]!.GetValue<string>();

        var document = await GetAsync(url.TrimStart('/'));

        var patch = document["paths"]![path]!["patch"]!;
        Assert.Equal(kind, patch["x-kubernetes-group-version-kind"]!["kind"]!.GetValue<string>());
        Assert.Contains(patch["parameters"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "fieldValidation");
    }
}
