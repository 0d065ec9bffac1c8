using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using ApiKeyOperator.Api;
using k8s.Models;
using KubeSim;

namespace ApiKeyOperator.Benchmarks;

/// <summary>
/// The physical floor of issuance: on a KubeSim of its own, the three writes issuance cannot avoid per ApiKey
/// (finalizer merge patch, Secret create, status merge patch), their bodies serialised before the clock starts,
/// sent over raw HttpClient with the operator's concurrency. No reads, no caches, no decisions.
/// </summary>
public static class RawWriteFloor
{
    public static async Task<TimeSpan> IssuanceAsync(int apiKeys, int namespaces, int concurrency, CancellationToken ct)
    {
        await using var cluster = await BenchCluster.StartAsync(
            new KubeSimOptions { RunControllers = false, WatchHistoryWindow = apiKeys * 8, GarbageCollectionInterval = TimeSpan.FromSeconds(5) }, ct);
        await IssuanceBenchmark.CreateAsync(cluster, apiKeys, namespaces, ct);
        var group = $"/apis/{ApiGroup.Name}/{ApiGroup.Version}";
        var requests = Enumerable.Range(0, apiKeys).Select(i =>
        {
            var (ns, name) = IssuanceBenchmark.KeyName(i, namespaces);
            return new[]
            {
                (HttpMethod.Patch, $"{group}/namespaces/{ns}/{ApiKey.KubePlural}/{name}", "application/merge-patch+json",
                    Encoding.UTF8.GetBytes($$$"""{"metadata":{"finalizers":["{{{WellKnown.Finalizer}}}"]}}""")),
                (HttpMethod.Post, $"/api/v1/namespaces/{ns}/secrets", "application/json",
                    Encoding.UTF8.GetBytes($$$"""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"{{{name}}}-secret","namespace":"{{{ns}}}"},"type":"Opaque","data":{"{{{SecretDataKeys.ApiKey}}}":"{{{Convert.ToBase64String(Encoding.UTF8.GetBytes("ak_" + Guid.NewGuid().ToString("N")))}}}"}}""")),
                (HttpMethod.Patch, $"{group}/namespaces/{ns}/{ApiKey.KubePlural}/{name}/status", "application/merge-patch+json",
                    Encoding.UTF8.GetBytes("""{"status":{"phase":"Ready","currentKeyId":"k1"}}""")),
            };
        }).ToList();

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, UseProxy = false }) { BaseAddress = cluster.Sim.Url };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "kubesim");
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = ct }, async (writes, token) =>
        {
            foreach (var (method, path, contentType, body) in writes)
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
                using var request = new HttpRequestMessage(method, path) { Content = content };
                using var response = await http.SendAsync(request, token);
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"floor write {method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(token)}");
                }
            }
        });
        return clock.Elapsed;
    }
}
