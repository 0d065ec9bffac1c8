using k8s;
using k8s.Models;
using Xunit;

namespace KubeSim.Tests.Api;

public sealed class GenerationAndStatusTests : SimTestBase
{
    [Fact]
    public async Task Generation_increments_on_spec_changes_only()
    {
        var ns = await NewNamespaceAsync();
        var created = await Client.AppsV1.CreateNamespacedDeploymentAsync(Workloads.Deployment("web"), ns, cancellationToken: Ct);
        Assert.Equal(1, created.Metadata.Generation);

        created.Metadata.Labels["extra"] = "label";
        var relabelled = await Client.AppsV1.ReplaceNamespacedDeploymentAsync(created, "web", ns, cancellationToken: Ct);
        Assert.Equal(1, relabelled.Metadata.Generation);
        Assert.NotEqual(created.Metadata.ResourceVersion, relabelled.Metadata.ResourceVersion);

        relabelled.Spec.Replicas = 3;
        var scaled = await Client.AppsV1.ReplaceNamespacedDeploymentAsync(relabelled, "web", ns, cancellationToken: Ct);
        Assert.Equal(2, scaled.Metadata.Generation);
    }

    [Fact]
    public async Task A_no_op_update_keeps_the_resource_version()
    {
        var ns = await NewNamespaceAsync();
        var created = await Client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c" }, Data = new Dictionary<string, string> { ["a"] = "b" } }, ns, cancellationToken: Ct);

        var same = await Client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "c", ns, cancellationToken: Ct);

        Assert.Equal(created.Metadata.ResourceVersion, same.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Main_endpoint_ignores_status_and_status_endpoint_ignores_everything_else()
    {
        var ns = await NewNamespaceAsync();
        var created = await Client.AppsV1.CreateNamespacedDeploymentAsync(Workloads.Deployment("web"), ns, cancellationToken: Ct);

        created.Status = new V1DeploymentStatus { ReadyReplicas = 7 };
        created.Spec.Replicas = 2;
        var viaMain = await Client.AppsV1.ReplaceNamespacedDeploymentAsync(created, "web", ns, cancellationToken: Ct);
        Assert.Null(viaMain.Status?.ReadyReplicas);
        Assert.Equal(2, viaMain.Spec.Replicas);

        viaMain.Status = new V1DeploymentStatus { ReadyReplicas = 2, ObservedGeneration = 2 };
        viaMain.Spec.Replicas = 9;
        var viaStatus = await Client.AppsV1.ReplaceNamespacedDeploymentStatusAsync(viaMain, "web", ns, cancellationToken: Ct);
        Assert.Equal(2, viaStatus.Status.ReadyReplicas);
        Assert.Equal(2, viaStatus.Spec.Replicas);
        Assert.Equal(2, viaStatus.Metadata.Generation);

        var patched = await Client.AppsV1.PatchNamespacedDeploymentStatusAsync(
            new V1Patch("""{"status":{"availableReplicas":2},"spec":{"replicas":5}}""", V1Patch.PatchType.MergePatch), "web", ns, cancellationToken: Ct);
        Assert.Equal(2, patched.Status.AvailableReplicas);
        Assert.Equal(2, patched.Status.ReadyReplicas);
        Assert.Equal(2, patched.Spec.Replicas);
    }

    [Fact]
    public async Task Create_drops_status_of_resources_with_a_status_subresource()
    {
        var ns = await NewNamespaceAsync();
        var deployment = Workloads.Deployment("web");
        deployment.Status = new V1DeploymentStatus { ReadyReplicas = 4 };

        var created = await Client.AppsV1.CreateNamespacedDeploymentAsync(deployment, ns, cancellationToken: Ct);

        Assert.Null(created.Status?.ReadyReplicas);
        Assert.Equal(600, created.Spec.ProgressDeadlineSeconds);
    }

    [Fact]
    public async Task Status_write_with_a_stale_resource_version_is_Conflict()
    {
        var ns = await NewNamespaceAsync();
        var created = await Client.AppsV1.CreateNamespacedDeploymentAsync(Workloads.Deployment("web"), ns, cancellationToken: Ct);
        created.Metadata.Labels["x"] = "y";
        await Client.AppsV1.ReplaceNamespacedDeploymentAsync(created, "web", ns, cancellationToken: Ct);

        created.Status = new V1DeploymentStatus { ReadyReplicas = 1 };
        var (code, status) = await FailureOf(() => Client.AppsV1.ReplaceNamespacedDeploymentStatusAsync(created, "web", ns, cancellationToken: Ct));

        Assert.Equal(409, code);
        Assert.Equal("Conflict", status.Reason);
    }
}
