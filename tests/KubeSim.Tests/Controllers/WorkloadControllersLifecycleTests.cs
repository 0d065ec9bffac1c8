using k8s;
using KubeSim.Controllers;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;
using static KubeSim.Tests.Controllers.WorkloadSim;

namespace KubeSim.Tests.Controllers;

public sealed class WorkloadControllersLifecycleTests
{
    [Fact]
    public async Task StartedOverAStoreTheyRollOutAndStopOnDispose()
    {
        var options = new KubeSimOptions { RunControllers = false, PodReadyDelay = TimeSpan.FromMilliseconds(50) };
        await using var server = await KubeSimServer.StartAsync(options, Ct);
        await server.Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("early", 2, Template("early")), "default", cancellationToken: Ct);

        // Objects that exist before the controllers start are picked up from the subscription's initial events.
        var controllers = WorkloadControllers.Start(server.Store, options, TimeProvider.System, NullLogger.Instance);
        var done = await WaitAsync(() => server.Client.AppsV1.ReadNamespacedDeploymentAsync("early", "default", cancellationToken: Ct), RolledOut);
        Assert.Equal(2, done.Status.AvailableReplicas);

        await controllers.DisposeAsync();
        await controllers.DisposeAsync();
        var pods = await server.Client.CoreV1.ListNamespacedPodAsync("default", cancellationToken: Ct);
        Assert.Equal(2, pods.Items.Count);
    }
}
