using ApiKeyOperator.Runtime;
using k8s;
using k8s.Models;
using Xunit;

namespace ApiKeyOperator.Tests.Runtime;

/// <summary>An informer over a list of namespaces (a namespaced install): one list+watch each, one cache, nothing from elsewhere.</summary>
public sealed class MultiNamespaceInformerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Watches_each_listed_namespace_into_one_cache_and_nothing_else()
    {
        await using var env = await SimEnvironment.StartAsync(new KubeSim.KubeSimOptions { RunControllers = false });
        foreach (var ns in new[] { "team-a", "team-b", "team-c" })
        {
            await env.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } }, cancellationToken: Ct);
            await CreateAsync(env, ns, "before");
        }

        var informer = env.NewInformer<V1ConfigMap>(new InformerOptions { Namespaces = ["team-a", "team-b"] });
        var deleted = new List<string>();
        informer.AddHandler(new InformerHandler<V1ConfigMap>(OnDelete: o => { lock (deleted) { deleted.Add($"{o.Metadata.NamespaceProperty}/{o.Metadata.Name}"); } }));
        env.Run(informer);
        await informer.WaitForSyncAsync(Ct).WaitAsync(Poll.Deadline, Ct);

        Assert.Equal(["team-a/before", "team-b/before"], Keys(informer));
        await CreateAsync(env, "team-b", "after");
        await CreateAsync(env, "team-c", "after");
        await env.Client.CoreV1.DeleteNamespacedConfigMapAsync("before", "team-a", cancellationToken: Ct);

        await Poll.UntilAsync(() => Keys(informer).SequenceEqual(["team-b/after", "team-b/before"]), what: "team-b's new object in, team-a's deleted one out");
        Assert.Equal(["team-a/before"], deleted);
        // Per namespace, never across all of them: an install with Roles only in these namespaces can serve it.
        Assert.Equal(0, env.Sim.Requests.Snapshot().Count(r => r.Resource == "configmaps" && r.Namespace is null));
        Assert.Equal(1, env.Sim.Requests.Count("list", "configmaps", "team-a"));
        Assert.Equal(1, env.Sim.Requests.Count("list", "configmaps", "team-b"));
        Assert.Equal(0, env.Sim.Requests.Count("list", "configmaps", "team-c"));
    }

    private static IEnumerable<string> Keys(Informer<V1ConfigMap> informer) =>
        informer.Cache.List().Select(c => $"{c.Metadata.NamespaceProperty}/{c.Metadata.Name}").Order(StringComparer.Ordinal);

    private static Task<V1ConfigMap> CreateAsync(SimEnvironment env, string ns, string name) =>
        env.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns } }, ns, cancellationToken: Ct);
}
