using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Xunit;

namespace KubeSim.Tests.Testing;

public sealed class RequestLogTests : SimTestBase
{
    [Fact]
    public async Task Requests_are_counted_by_verb_resource_namespace_and_status()
    {
        var ns = await NewNamespaceAsync();
        Sim.Requests.Reset();

        await Client.CoreV1.CreateNamespacedSecretAsync(Secret("a"), ns, cancellationToken: Ct);
        await Client.CoreV1.ReadNamespacedSecretAsync("a", ns, cancellationToken: Ct);
        await FailureOf(() => Client.CoreV1.ReadNamespacedSecretAsync("missing", ns, cancellationToken: Ct));
        await Client.CoreV1.ListSecretForAllNamespacesAsync(cancellationToken: Ct);
        await Client.CoreV1.PatchNamespacedSecretAsync(new V1Patch("""{"metadata":{"labels":{"a":"b"}}}""", V1Patch.PatchType.MergePatch), "a", ns, cancellationToken: Ct);

        Assert.Equal(1, Sim.Requests.Count(verb: "create", resource: "secrets"));
        Assert.Equal(2, Sim.Requests.Count(verb: "get", resource: "secrets", ns: ns));
        Assert.Equal(1, Sim.Requests.Count(statusCode: 404));
        Assert.Equal(2, Sim.Requests.Writes());
        Assert.Equal(new Dictionary<string, int> { ["create"] = 1, ["get"] = 2, ["list"] = 1, ["patch"] = 1 }, Sim.Requests.CountByVerb());
        Assert.Equal(5, Sim.Requests.CountByResource()["secrets"]);
        Assert.Equal(4, Sim.Requests.CountByNamespace()[ns]);
        Assert.Equal(1, Sim.Requests.CountByStatusCode()[201]);
    }

    [Fact]
    public async Task Records_name_group_resource_and_subresource_of_every_call()
    {
        var ns = await NewNamespaceAsync();
        await Client.AppsV1.CreateNamespacedDeploymentAsync(Api.Workloads.Deployment("web"), ns, cancellationToken: Ct);
        Sim.Requests.Reset();

        await Client.AppsV1.PatchNamespacedDeploymentStatusAsync(new V1Patch("""{"status":{"replicas":1}}""", V1Patch.PatchType.MergePatch), "web", ns, cancellationToken: Ct);
        await Client.CoordinationV1.ListNamespacedLeaseAsync(ns, cancellationToken: Ct);

        var records = Sim.Requests.Snapshot().Select(r => r with { UserAgent = null, ContentType = null }).ToList();
        Assert.StartsWith("application/merge-patch+json", Sim.Requests.Snapshot()[0].ContentType, StringComparison.Ordinal);
        Assert.Equal(
            [new RequestRecord("patch", "apps", "deployments", "status", ns, "web", 200, $"/apis/apps/v1/namespaces/{ns}/deployments/web/status"),
             new RequestRecord("list", "coordination.k8s.io", "leases", null, ns, null, 200, $"/apis/coordination.k8s.io/v1/namespaces/{ns}/leases")],
            records);
        Assert.Equal(1, Sim.Requests.Count(resource: "deployments/status"));
        Assert.Equal(0, Sim.Requests.Count(resource: "deployments"));
    }

    [Fact]
    public async Task The_admin_path_serves_and_resets_the_log()
    {
        await Client.CoreV1.ListNamespaceAsync(cancellationToken: Ct);
        using var http = new HttpClient { BaseAddress = Sim.Url };

        var log = JsonNode.Parse(await http.GetStringAsync(new Uri("kubesim/requests", UriKind.Relative), Ct))!;
        using var reset = await http.DeleteAsync(new Uri("kubesim/requests", UriKind.Relative), Ct);

        Assert.Contains(log["items"]!.AsArray(), r => r!["verb"]!.GetValue<string>() == "list" && r["resource"]!.GetValue<string>() == "namespaces");
        Assert.DoesNotContain(Sim.Requests.Snapshot(), r => r.Resource == "namespaces");
    }
}
