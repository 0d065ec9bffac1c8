using System.Net;
using k8s;
using k8s.Models;
using Xunit;

namespace KubeSim.Tests.BuiltIns;

/// <summary>core/v1 Services get the spec kube-apiserver writes: a cluster IP from the service range, port defaults.</summary>
public sealed class ServiceTests : SimTestBase
{
    private static V1Service Service(string name, string? clusterIp = null, string? type = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1ServiceSpec
        {
            Type = type,
            ClusterIP = clusterIp,
            ExternalName = type == "ExternalName" ? "db.example.com" : null,
            Selector = new Dictionary<string, string> { ["app"] = name },
            Ports = [new V1ServicePort { Name = "http", Port = 8080 }],
        },
    };

    [Fact]
    public async Task Created_services_get_distinct_cluster_ips_in_the_service_range_and_port_defaults()
    {
        var ns = await NewNamespaceAsync();

        var first = await Client.CoreV1.CreateNamespacedServiceAsync(Service("web"), ns, cancellationToken: Ct);
        var second = await Client.CoreV1.CreateNamespacedServiceAsync(Service("api"), ns, cancellationToken: Ct);

        foreach (var service in new[] { first, second })
        {
            var ip = IPAddress.Parse(service.Spec.ClusterIP);
            var bytes = ip.GetAddressBytes();
            Assert.True(bytes[0] == 10 && (bytes[1] & 0xF0) == 96, $"{ip} is outside 10.96.0.0/12");
            Assert.Equal([service.Spec.ClusterIP], service.Spec.ClusterIPs);
            Assert.Equal("ClusterIP", service.Spec.Type);
            Assert.Equal("None", service.Spec.SessionAffinity);
            var port = Assert.Single(service.Spec.Ports);
            Assert.Equal("TCP", port.Protocol);
            Assert.Equal("8080", port.TargetPort.Value);
        }

        Assert.NotEqual(first.Spec.ClusterIP, second.Spec.ClusterIP);
        var read = await Client.CoreV1.ReadNamespacedServiceAsync("web", ns, cancellationToken: Ct);
        Assert.Equal(first.Spec.ClusterIP, read.Spec.ClusterIP);
    }

    [Fact]
    public async Task An_update_without_the_cluster_ip_keeps_it_and_changing_it_is_rejected()
    {
        var ns = await NewNamespaceAsync();
        var created = await Client.CoreV1.CreateNamespacedServiceAsync(Service("web"), ns, cancellationToken: Ct);

        var replacement = Service("web");
        replacement.Spec.Ports = [new V1ServicePort { Name = "http", Port = 9090 }];
        var updated = await Client.CoreV1.ReplaceNamespacedServiceAsync(replacement, "web", ns, cancellationToken: Ct);

        Assert.Equal(created.Spec.ClusterIP, updated.Spec.ClusterIP);
        Assert.Equal(9090, Assert.Single(updated.Spec.Ports).Port);

        var (code, status) = await FailureOf(() => Client.CoreV1.ReplaceNamespacedServiceAsync(Service("web", clusterIp: "10.96.200.200"), "web", ns, cancellationToken: Ct));
        Assert.Equal(422, code);
        Assert.Contains(status.Details.Causes, c => c.Field == "spec.clusterIP");
    }

    [Fact]
    public async Task Headless_and_requested_addresses_are_kept_and_external_names_get_none()
    {
        var ns = await NewNamespaceAsync();

        var headless = await Client.CoreV1.CreateNamespacedServiceAsync(Service("headless", clusterIp: "None"), ns, cancellationToken: Ct);
        var pinned = await Client.CoreV1.CreateNamespacedServiceAsync(Service("pinned", clusterIp: "10.96.100.100"), ns, cancellationToken: Ct);
        var external = await Client.CoreV1.CreateNamespacedServiceAsync(Service("db", clusterIp: null, type: "ExternalName"), ns, cancellationToken: Ct);

        Assert.Equal("None", headless.Spec.ClusterIP);
        Assert.Equal("10.96.100.100", pinned.Spec.ClusterIP);
        Assert.Null(external.Spec.ClusterIP);
        Assert.Null(external.Spec.ClusterIPs);
    }

    [Fact]
    public async Task Services_are_served_with_a_status_subresource_short_name_and_the_all_category()
    {
        var core = await Client.CoreV1.GetAPIResourcesAsync(Ct);

        var services = core.Resources.Single(r => r.Name == "services");
        Assert.True(services.Namespaced);
        Assert.Equal("Service", services.Kind);
        Assert.Equal(["svc"], services.ShortNames);
        Assert.Equal(["all"], services.Categories);
        Assert.Contains(core.Resources, r => r.Name == "services/status");
    }
}
