using ApiKeyOperator.Rollouts;
using k8s.Models;
using Xunit;

namespace ApiKeyOperator.Tests.Rollouts;

public sealed class DependentDiscoveryTests
{
    [Fact]
    public void Union_of_explicit_targets_and_referencing_workloads_sorted_without_duplicates()
    {
        var deployments = new[] { Deployment("api", "key"), Deployment("web", "other"), Deployment("worker", "key") };
        var statefulSets = new[] { new V1StatefulSet { Metadata = new V1ObjectMeta { Name = "db" }, Spec = new V1StatefulSetSpec { Template = Template("key") } } };
        var daemonSets = new[] { new V1DaemonSet { Metadata = new V1ObjectMeta { Name = "agent" }, Spec = new V1DaemonSetSpec { Template = Template("nope") } } };

        var found = DependentDiscovery.Discover(
            "key",
            autoDiscover: true,
            [new WorkloadRef("Deployment", "api"), new WorkloadRef("DaemonSet", "agent")],
            deployments,
            statefulSets,
            daemonSets);

        Assert.Equal(
            [new WorkloadRef("DaemonSet", "agent"), new WorkloadRef("Deployment", "api"), new WorkloadRef("Deployment", "worker"), new WorkloadRef("StatefulSet", "db")],
            found);
    }

    [Fact]
    public void Without_auto_discovery_only_explicit_targets_count_and_deleting_workloads_are_skipped()
    {
        var deleting = Deployment("old", "key");
        deleting.Metadata.DeletionTimestamp = DateTime.UtcNow;

        Assert.Equal([new WorkloadRef("Deployment", "x")], DependentDiscovery.Discover("key", false, [new WorkloadRef("Deployment", "x")], [Deployment("api", "key")], [], []));
        Assert.Empty(DependentDiscovery.Discover("key", true, [], [deleting], [], []));
    }

    private static V1Deployment Deployment(string name, string secret) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1DeploymentSpec { Template = Template(secret) },
    };

    private static V1PodTemplateSpec Template(string secret) => new()
    {
        Spec = new V1PodSpec
        {
            Containers = [new V1Container { Name = "app", Image = "img" }],
            Volumes = [new V1Volume { Name = "k", Secret = new V1SecretVolumeSource { SecretName = secret } }],
        },
    };
}
