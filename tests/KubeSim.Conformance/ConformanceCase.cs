using System.Text.Json.Nodes;
using Xunit;

namespace KubeSim.Conformance;

/// <summary>A case: a fresh namespace per test, deleted afterwards, and short helpers over raw HTTP.</summary>
[Collection(ConformanceCollection.Name)]
public abstract class ConformanceCase(ConformanceCluster cluster) : IAsyncLifetime
{
    protected ConformanceCluster Cluster { get; } = cluster;

    protected string Ns { get; } = "conf-" + Guid.NewGuid().ToString("N")[..10];

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var created = await Cluster.SendAsync(HttpMethod.Post, "/api/v1/namespaces", Template.Fill("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"@0"}}""", Ns), ct: Ct);
        Assert.Equal(201, created.Code);
    }

    /// <summary>CustomResourceDefinitions a case created (cluster-scoped, so deleted with the case).</summary>
    protected List<string> Crds { get; } = [];

    /// <summary>Webhook configurations a case created ("mutatingwebhookconfigurations/NAME"…), deleted first.</summary>
    protected List<string> WebhookConfigurations { get; } = [];

    public async ValueTask DisposeAsync()
    {
        foreach (var configuration in WebhookConfigurations)
        {
            await Cluster.SendAsync(HttpMethod.Delete, $"/apis/admissionregistration.k8s.io/v1/{configuration}", ct: CancellationToken.None);
        }

        foreach (var crd in Crds)
        {
            await Cluster.SendAsync(HttpMethod.Delete, $"/apis/apiextensions.k8s.io/v1/customresourcedefinitions/{crd}", ct: CancellationToken.None);
        }

        await Cluster.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{Ns}", ct: CancellationToken.None);
        GC.SuppressFinalize(this);
    }

    protected Task<ConformanceCluster.Response> Get(string path) => Cluster.SendAsync(HttpMethod.Get, path, ct: Ct);

    protected Task<ConformanceCluster.Response> Post(string path, string body) => Cluster.SendAsync(HttpMethod.Post, path, body, ct: Ct);

    protected Task<ConformanceCluster.Response> Put(string path, string body) => Cluster.SendAsync(HttpMethod.Put, path, body, ct: Ct);

    protected Task<ConformanceCluster.Response> Patch(string path, string body, string contentType) => Cluster.SendAsync(HttpMethod.Patch, path, body, contentType, Ct);

    protected Task<ConformanceCluster.Response> Delete(string path, string? body = null) => Cluster.SendAsync(HttpMethod.Delete, path, body, ct: Ct);

    protected string ConfigMaps => $"/api/v1/namespaces/{Ns}/configmaps";

    protected static string ResourceVersion(JsonObject obj) => obj["metadata"]!["resourceVersion"]!.GetValue<string>();

    protected static long Generation(JsonObject obj) => obj["metadata"]!["generation"]!.GetValue<long>();

    /// <summary>Polls until the probe yields a value, with a deadline.</summary>
    protected static async Task<T> Eventually<T>(Func<Task<T?>> probe, TimeSpan? timeout = null)
        where T : class
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("condition not met in time");
            }

            await Task.Delay(50, Ct);
        }
    }
}
