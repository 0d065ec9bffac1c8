using System.Diagnostics;
using k8s;
using Xunit;

namespace KubeSim.Tests.Standalone;

public sealed class ServerLifecycleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Disposal_ends_open_watches_and_stops_listening_promptly()
    {
        var sim = await KubeSimServer.StartAsync(new KubeSimOptions { RunControllers = false }, Ct);
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watcher = sim.Client.CoreV1.WatchListNamespace(onEvent: (_, _) => started.TrySetResult(), onClosed: closed.SetResult, onError: _ => { });
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        var url = sim.Url;

        var watch = Stopwatch.StartNew();
        await sim.DisposeAsync();

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), watch.Elapsed.ToString());
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        using var http = new HttpClient();
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(new Uri(url, "version"), Ct));
    }

    [Fact]
    public async Task Servers_are_independent_and_listen_on_loopback()
    {
        await using var a = await KubeSimServer.StartAsync(ct: Ct);
        await using var b = await KubeSimServer.StartAsync(ct: Ct);

        await a.Client.CoreV1.CreateNamespaceAsync(new k8s.Models.V1Namespace { Metadata = new() { Name = "only-in-a" } }, cancellationToken: Ct);

        Assert.Equal("127.0.0.1", a.Url.Host);
        Assert.NotEqual(a.Url, b.Url);
        Assert.DoesNotContain((await b.Client.CoreV1.ListNamespaceAsync(cancellationToken: Ct)).Items, n => n.Metadata.Name == "only-in-a");
    }
}
