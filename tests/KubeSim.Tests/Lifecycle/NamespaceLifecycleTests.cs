using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Xunit;

namespace KubeSim.Tests.Lifecycle;

public sealed class NamespaceLifecycleTests : SimTestBase
{
    private static readonly ResourceId Namespaces = new("", "v1", "namespaces");

    [Fact]
    public async Task A_deleted_namespace_is_Terminating_reports_what_remains_and_goes_once_content_is_released()
    {
        var ns = await NewNamespaceAsync("slow");
        await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "held", Finalizers = ["example.com/hold"] } }, ns, cancellationToken: Ct);
        await Client.CoreV1.CreateNamespacedSecretAsync(Secret("plain"), ns, cancellationToken: Ct);
        var created = await Client.CoreV1.ReadNamespaceAsync(ns, cancellationToken: Ct);
        Assert.Equal(["kubernetes"], created.Spec.Finalizers);
        Assert.Equal("Active", created.Status.Phase);

        await Client.CoreV1.DeleteNamespaceAsync(ns, cancellationToken: Ct);

        var terminating = await Poll.UntilAsync(
            () => Client.CoreV1.ReadNamespaceAsync(ns, cancellationToken: Ct),
            n => n.Status.Conditions?.Any(c => c.Type == "NamespaceContentRemaining" && c.Message == "Some resources are remaining: configmaps. has 1 resource instances") == true,
            ct: Ct);
        Assert.Equal("Terminating", terminating.Status.Phase);
        Assert.NotNull(terminating.Metadata.DeletionTimestamp);
        Assert.Equal(["kubernetes"], terminating.Spec.Finalizers);
        var finalizers = terminating.Status.Conditions.Single(c => c.Type == "NamespaceFinalizersRemaining");
        Assert.Equal(("True", "SomeFinalizersRemain", "Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances"), (finalizers.Status, finalizers.Reason, finalizers.Message));
        Assert.Empty(Sim.Store.List(new ResourceId("", "v1", "secrets"), ns));
        Assert.NotNull(Sim.Store.Get(new ResourceId("", "v1", "configmaps"), ns, "held"));

        await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"metadata":{"finalizers":null}}""", V1Patch.PatchType.MergePatch), "held", ns, cancellationToken: Ct);
        await Poll.UntilAsync(() => Sim.Store.Get(Namespaces, null, ns) is null, ct: Ct);
    }

    [Fact]
    public async Task Creating_in_a_terminating_namespace_is_403_with_the_NamespaceTerminating_cause()
    {
        var ns = await NewNamespaceAsync("doomed");
        await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "held", Finalizers = ["example.com/hold"] } }, ns, cancellationToken: Ct);
        await Client.CoreV1.DeleteNamespaceAsync(ns, cancellationToken: Ct);

        var (code, status) = await FailureOf(() => Client.CoreV1.CreateNamespacedSecretAsync(Secret("late"), ns, cancellationToken: Ct));

        Assert.Equal(403, code);
        Assert.Equal("Forbidden", status.Reason);
        Assert.Equal("secrets \"late\" is forbidden: unable to create new content in namespace doomed because it is being terminated", status.Message);
        var cause = Assert.Single(status.Details.Causes);
        Assert.Equal(("NamespaceTerminating", "namespace doomed is being terminated", "metadata.namespace"), (cause.Reason, cause.Message, cause.Field));
    }

    [Fact]
    public async Task A_namespace_with_its_own_metadata_finalizer_stays_after_the_content_is_gone()
    {
        var ns = await Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "kept", Finalizers = ["example.com/ns-hold"] } }, cancellationToken: Ct);
        await Client.CoreV1.DeleteNamespaceAsync("kept", cancellationToken: Ct);

        var finalized = await Poll.UntilAsync(() => Client.CoreV1.ReadNamespaceAsync("kept", cancellationToken: Ct), n => n.Spec.Finalizers is null or { Count: 0 }, ct: Ct);
        Assert.Equal(["example.com/ns-hold"], finalized.Metadata.Finalizers);

        await Client.CoreV1.PatchNamespaceAsync(new V1Patch("""{"metadata":{"finalizers":null}}""", V1Patch.PatchType.MergePatch), "kept", cancellationToken: Ct);
        await Poll.UntilAsync(() => Sim.Store.Get(Namespaces, null, "kept") is null, ct: Ct);
        Assert.NotNull(ns);
    }
}
