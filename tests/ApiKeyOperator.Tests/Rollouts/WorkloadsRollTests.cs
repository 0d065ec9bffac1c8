using ApiKeyOperator.Rollouts;
using ApiKeyOperator.Runtime;
using k8s.Models;
using Xunit;

namespace ApiKeyOperator.Tests.Rollouts;

public sealed class WorkloadsRollTests
{
    private static readonly WorkloadRef Web = new("Deployment", "web");

    private readonly LaggingWorkloadCache<V1Deployment> _deployments = new();
    private readonly Workloads _workloads;

    public WorkloadsRollTests()
    {
        _deployments.Seed(new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "ns" },
            Spec = new V1DeploymentSpec { Template = new V1PodTemplateSpec { Metadata = new V1ObjectMeta() } },
        });
        var statefulSets = new LaggingWorkloadCache<V1StatefulSet>();
        var daemonSets = new LaggingWorkloadCache<V1DaemonSet>();
        _workloads = new Workloads(_deployments, statefulSets, daemonSets, _deployments, statefulSets, daemonSets);
    }

    [Fact]
    public async Task A_roll_the_cache_has_not_seen_yet_is_in_flight_and_ends_when_the_cache_catches_up()
    {
        await _workloads.RollAsync("ns", Web, "aaaa0001", TestContext.Current.CancellationToken);

        Assert.True(_workloads.IsRollInFlight("ns", Web, "aaaa0001"));
        Assert.False(_workloads.IsRollInFlight("ns", Web, "bbbb0002"));
        Assert.False(_workloads.Get("ns", Web)!.IsRolledTo("aaaa0001"));

        _deployments.Sync();

        Assert.False(_workloads.IsRollInFlight("ns", Web, "aaaa0001"));
        Assert.True(_workloads.Get("ns", Web)!.IsRolledTo("aaaa0001"));
        Assert.Single(_deployments.Patches);
    }

    [Fact]
    public async Task A_second_roll_from_a_stale_cache_is_refused_by_the_server_instead_of_patching_twice()
    {
        await _workloads.RollAsync("ns", Web, "aaaa0001", TestContext.Current.CancellationToken);

        // Another process (a restarted operator, without this one's memory) rolls from the same stale cache.
        var restarted = new Workloads(_deployments, new LaggingWorkloadCache<V1StatefulSet>(), new LaggingWorkloadCache<V1DaemonSet>(), _deployments, new LaggingWorkloadCache<V1StatefulSet>(), new LaggingWorkloadCache<V1DaemonSet>());
        var conflict = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() => restarted.RollAsync("ns", Web, "aaaa0001", TestContext.Current.CancellationToken));

        Assert.True(ApiErrors.IsConflict(conflict));
        Assert.Single(_deployments.Patches);
    }
}
