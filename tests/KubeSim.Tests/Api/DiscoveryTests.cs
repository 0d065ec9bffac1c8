using k8s;
using System.Text.Json.Nodes;
using Xunit;

namespace KubeSim.Tests.Api;

public sealed class DiscoveryTests : SimTestBase
{
    private async Task<(int Code, string ContentType, JsonNode Body)> GetAsync(string path, string? accept = null)
    {
        using var http = new HttpClient { BaseAddress = Sim.Url };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        using var response = await http.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return ((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType ?? "", JsonNode.Parse(text)!);
    }

    [Fact]
    public async Task Version_reports_a_kubernetes_version()
    {
        var version = await Client.Version.GetCodeAsync(Ct);

        Assert.Equal("1", version.Major);
        Assert.StartsWith("v1.", version.GitVersion, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Core_resource_list_describes_verbs_short_names_scope_and_status_subresources()
    {
        var core = await Client.CoreV1.GetAPIResourcesAsync(Ct);

        var secrets = core.Resources.Single(r => r.Name == "secrets");
        Assert.True(secrets.Namespaced);
        Assert.Equal("Secret", secrets.Kind);
        Assert.Equal("secret", secrets.SingularName);
        Assert.Equal(["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"], secrets.Verbs);
        var namespaces = core.Resources.Single(r => r.Name == "namespaces");
        Assert.False(namespaces.Namespaced);
        Assert.Equal(["ns"], namespaces.ShortNames);
        Assert.Contains(core.Resources, r => r.Name == "pods/status" && r.Verbs.SequenceEqual(["get", "patch", "update"]));
        Assert.Contains(core.Resources, r => r.Name == "events");
        Assert.Contains(core.Resources, r => r.Name == "serviceaccounts");
    }

    [Fact]
    public async Task Group_list_names_every_built_in_group()
    {
        var groups = await Client.Apis.GetAPIVersionsAsync(Ct);

        Assert.Equal(
            ["admissionregistration.k8s.io", "apiextensions.k8s.io", "apps", "authentication.k8s.io", "authorization.k8s.io", "batch", "coordination.k8s.io", "events.k8s.io", "networking.k8s.io", "policy", "rbac.authorization.k8s.io", "scheduling.k8s.io"],
            groups.Groups.Select(g => g.Name).Order());
        var apps = groups.Groups.Single(g => g.Name == "apps");
        Assert.Equal("apps/v1", apps.PreferredVersion.GroupVersion);
    }

    [Fact]
    public async Task Apps_resource_list_has_workloads_with_categories_and_status()
    {
        var apps = await Client.AppsV1.GetAPIResourcesAsync(Ct);

        var deployments = apps.Resources.Single(r => r.Name == "deployments");
        Assert.Equal(["deploy"], deployments.ShortNames);
        Assert.Equal(["all"], deployments.Categories);
        Assert.Contains(apps.Resources, r => r.Name == "deployments/status");
        Assert.Equal(["daemonsets", "daemonsets/status", "deployments", "deployments/scale", "deployments/status", "replicasets", "replicasets/scale", "replicasets/status", "statefulsets", "statefulsets/scale", "statefulsets/status"],
            apps.Resources.Select(r => r.Name).Order());
    }

    [Fact]
    public async Task Aggregated_discovery_requests_fall_back_to_plain_documents()
    {
        var (code, contentType, body) = await GetAsync("apis",
            "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json");

        Assert.Equal(200, code);
        Assert.Equal("application/json", contentType);
        Assert.Equal("APIGroupList", body["kind"]!.GetValue<string>());
        var (_, _, api) = await GetAsync("api", "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json");
        Assert.Equal("APIVersions", api["kind"]!.GetValue<string>());
        Assert.Equal("v1", api["versions"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Unknown_group_version_is_404()
    {
        var (code, _, body) = await GetAsync("apis/apps/v2");

        Assert.Equal(404, code);
        Assert.Equal("Status", body["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task Group_document_lists_versions()
    {
        var (code, _, body) = await GetAsync("apis/coordination.k8s.io");

        Assert.Equal(200, code);
        Assert.Equal("APIGroup", body["kind"]!.GetValue<string>());
        Assert.Equal("coordination.k8s.io/v1", body["preferredVersion"]!["groupVersion"]!.GetValue<string>());
    }
}
