using ApiKeyOperator.Runtime;
using k8s.Models;
using Xunit;

namespace ApiKeyOperator.Tests.Runtime;

public sealed class ResourceTypeTests
{
    [Fact]
    public void Core_kinds_live_under_api_v1()
    {
        var secrets = ResourceType.Of<V1Secret>();

        Assert.Equal("v1", secrets.ApiVersion);
        Assert.Equal("/api/v1/namespaces/ns/secrets/s", secrets.ItemPath(new ObjectKey("ns", "s")));
        Assert.Equal("/api/v1/secrets", secrets.CollectionPath(null));
        Assert.Equal("/api/v1/namespaces/ns/events", ResourceType.Of<Corev1Event>().CollectionPath("ns"));
    }

    [Fact]
    public void Grouped_kinds_live_under_apis()
    {
        Assert.Equal("/apis/apps/v1/namespaces/ns/deployments/d", ResourceType.Of<V1Deployment>().ItemPath(new ObjectKey("ns", "d")));
        Assert.Equal("/apis/coordination.k8s.io/v1/namespaces/kube-system/leases", ResourceType.Of<V1Lease>().CollectionPath("kube-system"));
        Assert.Equal("apps/v1", ResourceType.Of<V1StatefulSet>().ApiVersion);
        Assert.Equal("daemonsets", ResourceType.Of<V1DaemonSet>().Plural);
    }

    [Fact]
    public void Group_of_an_owner_reference_is_compared_without_version()
    {
        var deployments = ResourceType.Of<V1Deployment>();

        Assert.True(deployments.IsGroupOf("apps/v1beta2"));
        Assert.False(deployments.IsGroupOf("v1"));
        Assert.True(ResourceType.Of<V1Secret>().IsGroupOf("v1"));
    }
}
