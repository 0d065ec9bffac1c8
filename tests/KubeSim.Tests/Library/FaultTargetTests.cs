using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Xunit;

namespace KubeSim.Tests.Library;

public sealed class FaultTargetTests : SimTestBase
{
    [Theory]
    [InlineData("secrets", "secrets", null, null)]
    [InlineData("deployments.apps", "deployments", "apps", null)]
    [InlineData("apikeys.apikeyoperator.io", "apikeys", "apikeyoperator.io", null)]
    [InlineData("deployments/status", "deployments", null, "status")]
    public void Parse_reads_kubectl_spelling(string text, string plural, string? group, string? subresource)
    {
        var target = FaultTarget.Parse(text);

        Assert.Equal((plural, group, subresource), (target.Plural, target.Group, target.Subresource));
        Assert.Equal(text, target.ToString());
    }

    [Theory]
    [InlineData("Secrets")]
    [InlineData("secret s")]
    [InlineData("")]
    [InlineData("deployments/")]
    [InlineData("deployments/status/x")]
    [InlineData("deployments..apps")]
    public void A_name_that_is_no_resource_is_refused_instead_of_silently_never_matching(string text)
    {
        Assert.Throws<ArgumentException>(() => FaultTarget.Parse(text));
    }

    [Fact]
    public async Task A_group_target_fails_only_writes_in_that_group()
    {
        var ns = await NewNamespaceAsync();
        Sim.Faults.Inject(new FailWrites(FaultTarget.Resource("deployments", "example.com"), 1, HttpStatusCode.ServiceUnavailable));
        Sim.Faults.Inject(new FailWrites(FaultTarget.Resource("configmaps", ""), 1, HttpStatusCode.TooManyRequests));

        await Client.AppsV1.CreateNamespacedDeploymentAsync(Api.Workloads.Deployment("web"), ns, cancellationToken: Ct);
        var throttled = await Assert.ThrowsAsync<HttpOperationException>(() =>
            Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "c" } }, ns, cancellationToken: Ct));

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.Response.StatusCode);
        Assert.Equal(1, Sim.Requests.Count("create", "deployments", ns, statusCode: 201));
    }

    [Fact]
    public void Status_codes_that_are_no_failure_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Sim.Faults.Inject(new FailWrites("secrets", 1, HttpStatusCode.OK)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Sim.Faults.Inject(new FailWritesRandomly(1.5, 1)));
    }

    [Fact]
    public async Task A_malformed_admin_fault_is_a_400_and_injects_nothing()
    {
        var ns = await NewNamespaceAsync();
        using var http = new HttpClient { BaseAddress = Sim.Url };

        using var response = await http.PostAsJsonAsync(new Uri("kubesim/faults", UriKind.Relative),
            new JsonObject { ["failNextWrites"] = new JsonObject { ["resource"] = "Secrets", ["count"] = 1, ["code"] = 409 } }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new() { Name = "s" } }, ns, cancellationToken: Ct);
    }
}
