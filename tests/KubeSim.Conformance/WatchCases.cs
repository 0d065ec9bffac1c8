using System.Text.Json.Nodes;
using Xunit;

namespace KubeSim.Conformance;

/// <summary>Watch semantics: events after a resourceVersion, bookmarks, 410 Gone and resuming.</summary>
public sealed class WatchCases(ConformanceCluster cluster) : ConformanceCase(cluster)
{
    [Fact]
    public async Task A_watch_from_a_resource_version_sees_later_changes_in_order_and_resumes_from_any_of_them()
    {
        var created = await Post(ConfigMaps, """{"metadata":{"name":"c"},"data":{"k":"1"}}""");
        await Patch($"{ConfigMaps}/c", """{"data":{"k":"2"}}""", "application/merge-patch+json");
        await Delete($"{ConfigMaps}/c");

        var events = await WatchAsync($"{ConfigMaps}?watch=1&resourceVersion={ResourceVersion(created.Body)}", e => e.Count >= 2);

        Assert.Equal(["MODIFIED", "DELETED"], events.Take(2).Select(e => e["type"]!.GetValue<string>()));
        var resumeFrom = ResourceVersion((JsonObject)events[0]["object"]!);
        var resumed = await WatchAsync($"{ConfigMaps}?watch=1&resourceVersion={resumeFrom}", e => e.Count >= 1);
        Assert.Equal("DELETED", resumed[0]["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Bookmarks_arrive_when_asked_for_and_carry_only_a_resource_version()
    {
        var created = await Post(ConfigMaps, """{"metadata":{"name":"c"}}""");

        // Real servers send bookmarks about once a minute; the deadline allows for that.
        var events = await WatchAsync($"{ConfigMaps}?watch=1&allowWatchBookmarks=true&resourceVersion={ResourceVersion(created.Body)}&timeoutSeconds=90",
            e => e.Any(x => x["type"]!.GetValue<string>() == "BOOKMARK"), TimeSpan.FromSeconds(100));

        var bookmark = events.First(e => e["type"]!.GetValue<string>() == "BOOKMARK");
        Assert.NotEmpty(ResourceVersion((JsonObject)bookmark["object"]!));
        Assert.Equal("ConfigMap", bookmark["object"]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_resume_from_a_compacted_resource_version_gets_410_Expired()
    {
        Cluster.RequireKubeSim("compaction of the watch history is forced with the ForceGoneOnNextWatchResume fault");
        var created = await Post(ConfigMaps, """{"metadata":{"name":"c"}}""");
        Cluster.Sim.Faults.ForceGoneOnNextWatchResume();

        var events = await WatchAsync($"{ConfigMaps}?watch=1&resourceVersion={ResourceVersion(created.Body)}", e => e.Count >= 1);

        Assert.Equal("ERROR", events[0]["type"]!.GetValue<string>());
        Assert.Equal(410, events[0]["object"]!["code"]!.GetValue<int>());
        Assert.Equal("Expired", events[0]["object"]!["reason"]!.GetValue<string>());
    }

    private async Task<List<JsonObject>> WatchAsync(string path, Func<List<JsonObject>, bool> enough, TimeSpan? timeout = null)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(timeout ?? TimeSpan.FromSeconds(20));
        using var response = await Cluster.Http.GetAsync(new Uri(path.TrimStart('/'), UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, deadline.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(deadline.Token));
        var events = new List<JsonObject>();
        while (!enough(events) && await reader.ReadLineAsync(deadline.Token) is { } line)
        {
            if (line.Length > 0)
            {
                events.Add((JsonObject)JsonNode.Parse(line)!);
            }
        }

        return enough(events) ? events : throw new Xunit.Sdk.XunitException($"the watch ended after {events.Count} events");
    }
}
