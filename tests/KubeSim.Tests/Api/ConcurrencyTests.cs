using System.Collections.Concurrent;
using k8s;
using k8s.Models;
using Xunit;

namespace KubeSim.Tests.Api;

public sealed class ConcurrencyTests : SimTestBase
{
    [Fact]
    public async Task Concurrent_writers_produce_unique_versions_that_every_watcher_sees_once_in_order()
    {
        const int Writers = 4;
        const int PerWriter = 50;
        var ns = await NewNamespaceAsync();
        var start = await Client.CoreV1.ListNamespacedConfigMapAsync(ns, cancellationToken: Ct);
        var written = new ConcurrentBag<long>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));

        var watchers = Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            var seen = new List<long>();
            await foreach (var (_, cm) in Client.CoreV1.WatchListNamespacedConfigMapAsync(ns, resourceVersion: start.Metadata.ResourceVersion, cancellationToken: timeout.Token))
            {
                seen.Add(long.Parse(cm.Metadata.ResourceVersion));
                if (seen.Count == Writers * PerWriter * 2)
                {
                    break;
                }
            }

            return seen;
        }, Ct)).ToArray();

        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < PerWriter; i++)
            {
                var created = await Client.CoreV1.CreateNamespacedConfigMapAsync(
                    new V1ConfigMap { Metadata = new V1ObjectMeta { Name = $"w{w}-{i}" } }, ns, cancellationToken: timeout.Token);
                written.Add(long.Parse(created.Metadata.ResourceVersion));
                created.Data = new Dictionary<string, string> { ["n"] = $"{i}" };
                var updated = await Client.CoreV1.ReplaceNamespacedConfigMapAsync(created, created.Metadata.Name, ns, cancellationToken: timeout.Token);
                written.Add(long.Parse(updated.Metadata.ResourceVersion));
            }
        }, Ct)));

        var expected = written.Order().ToList();
        Assert.Equal(expected.Count, expected.Distinct().Count());
        foreach (var seen in await Task.WhenAll(watchers))
        {
            Assert.Equal(expected, seen);
        }
    }
}
