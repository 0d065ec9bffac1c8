using k8s;
using k8s.Models;
using Xunit;

namespace KubeSim.Tests.Api;

public sealed class FinalizerAndGcTests : SimTestBase
{
    private static V1ConfigMap ConfigMap(string name, IList<string>? finalizers = null, params V1OwnerReference[] owners) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            Finalizers = finalizers,
            OwnerReferences = owners.Length == 0 ? null : owners,
        },
    };

    private static V1OwnerReference OwnedBy(V1ConfigMap owner) =>
        new() { ApiVersion = "v1", Kind = "ConfigMap", Name = owner.Metadata.Name, Uid = owner.Metadata.Uid };

    private async Task<bool> ExistsAsync(string ns, string name)
    {
        var list = await Client.CoreV1.ListNamespacedConfigMapAsync(ns, fieldSelector: $"metadata.name={name}", cancellationToken: Ct);
        return list.Items.Count == 1;
    }

    [Fact]
    public async Task An_object_with_finalizers_stays_with_a_deletion_timestamp_until_they_are_removed()
    {
        var ns = await NewNamespaceAsync();
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("held", ["example.com/cleanup"]), ns, cancellationToken: Ct);

        await Client.CoreV1.DeleteNamespacedConfigMapAsync("held", ns, cancellationToken: Ct);

        var deleting = await Client.CoreV1.ReadNamespacedConfigMapAsync("held", ns, cancellationToken: Ct);
        Assert.NotNull(deleting.Metadata.DeletionTimestamp);
        Assert.Equal(0, deleting.Metadata.DeletionGracePeriodSeconds);
        await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"metadata":{"finalizers":null}}""", V1Patch.PatchType.MergePatch), "held", ns, cancellationToken: Ct);
        Assert.False(await ExistsAsync(ns, "held"));
    }

    [Fact]
    public async Task No_new_finalizers_can_be_added_once_deleting()
    {
        var ns = await NewNamespaceAsync();
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("held", ["a"]), ns, cancellationToken: Ct);
        await Client.CoreV1.DeleteNamespacedConfigMapAsync("held", ns, cancellationToken: Ct);

        var (code, status) = await FailureOf(() => Client.CoreV1.PatchNamespacedConfigMapAsync(
            new V1Patch("""{"metadata":{"finalizers":["a","b"]}}""", V1Patch.PatchType.MergePatch), "held", ns, cancellationToken: Ct));

        Assert.Equal(422, code);
        Assert.Equal("Invalid", status.Reason);
        Assert.Contains(status.Details.Causes, c => c.Field == "metadata.finalizers" && c.Message.Contains("no new finalizers", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Watchers_see_the_deletion_timestamp_as_modified_and_the_removal_as_deleted()
    {
        var ns = await NewNamespaceAsync();
        var created = await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("held", ["a"]), ns, cancellationToken: Ct);
        var events = new List<(WatchEventType, V1ConfigMap)>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        var watching = Task.Run(async () =>
        {
            await foreach (var e in Client.CoreV1.WatchListNamespacedConfigMapAsync(ns, resourceVersion: created.Metadata.ResourceVersion, cancellationToken: timeout.Token))
            {
                events.Add(e);
                if (events.Count == 2)
                {
                    break;
                }
            }
        }, Ct);

        await Client.CoreV1.DeleteNamespacedConfigMapAsync("held", ns, cancellationToken: Ct);
        await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"metadata":{"finalizers":[]}}""", V1Patch.PatchType.MergePatch), "held", ns, cancellationToken: Ct);
        await watching;

        Assert.Equal(WatchEventType.Modified, events[0].Item1);
        Assert.NotNull(events[0].Item2.Metadata.DeletionTimestamp);
        Assert.Equal(WatchEventType.Deleted, events[1].Item1);
    }

    [Fact]
    public async Task Dependents_of_a_deleted_owner_are_garbage_collected()
    {
        var ns = await NewNamespaceAsync();
        var owner = await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("owner"), ns, cancellationToken: Ct);
        var other = await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("other"), ns, cancellationToken: Ct);
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("child", null, OwnedBy(owner)), ns, cancellationToken: Ct);
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("shared", null, OwnedBy(owner), OwnedBy(other)), ns, cancellationToken: Ct);

        await Client.CoreV1.DeleteNamespacedConfigMapAsync("owner", ns, cancellationToken: Ct);

        await Poll.UntilAsync(() => ExistsAsync(ns, "child"), exists => !exists, ct: Ct);
        Assert.True(await ExistsAsync(ns, "shared"));
    }

    [Fact]
    public async Task Foreground_deletion_waits_for_dependents()
    {
        var ns = await NewNamespaceAsync();
        var owner = await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("owner"), ns, cancellationToken: Ct);
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("child", ["example.com/hold"], OwnedBy(owner)), ns, cancellationToken: Ct);

        await Client.CoreV1.DeleteNamespacedConfigMapAsync("owner", ns, propagationPolicy: "Foreground", cancellationToken: Ct);

        var waiting = await Poll.UntilAsync(() => Client.CoreV1.ReadNamespacedConfigMapAsync("child", ns, cancellationToken: Ct), c => c.Metadata.DeletionTimestamp is not null, ct: Ct);
        var ownerNow = await Client.CoreV1.ReadNamespacedConfigMapAsync("owner", ns, cancellationToken: Ct);
        Assert.Contains("foregroundDeletion", ownerNow.Metadata.Finalizers);
        Assert.NotNull(ownerNow.Metadata.DeletionTimestamp);

        await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"metadata":{"finalizers":null}}""", V1Patch.PatchType.MergePatch), waiting.Metadata.Name, ns, cancellationToken: Ct);
        await Poll.UntilAsync(() => ExistsAsync(ns, "owner"), exists => !exists, ct: Ct);
    }

    [Fact]
    public async Task Collection_cascades_through_every_generation_without_further_writes()
    {
        // Deployment → ReplicaSet → Pod in miniature: the grandchild must go although nothing else is written.
        var ns = await NewNamespaceAsync();
        var owner = await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("owner"), ns, cancellationToken: Ct);
        var child = await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("child", null, OwnedBy(owner)), ns, cancellationToken: Ct);
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("grandchild", null, OwnedBy(child)), ns, cancellationToken: Ct);

        await Client.CoreV1.DeleteNamespacedConfigMapAsync("owner", ns, cancellationToken: Ct);

        await Poll.UntilAsync(() => ExistsAsync(ns, "grandchild"), exists => !exists, ct: Ct);
        Assert.False(await ExistsAsync(ns, "child"));
    }

    [Fact]
    public async Task Deleting_a_pod_answers_with_the_pod_as_the_client_expects()
    {
        var ns = await NewNamespaceAsync();
        await Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "p" },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "registry.k8s.io/pause:3.9" }] },
        }, ns, cancellationToken: Ct);

        var deleted = await Client.CoreV1.DeleteNamespacedPodAsync("p", ns, cancellationToken: Ct);

        Assert.Equal("p", deleted.Metadata.Name);
    }

    [Fact]
    public async Task Orphan_deletion_keeps_dependents_and_removes_their_owner_reference()
    {
        var ns = await NewNamespaceAsync();
        var owner = await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("owner"), ns, cancellationToken: Ct);
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("child", null, OwnedBy(owner)), ns, cancellationToken: Ct);

        await Client.CoreV1.DeleteNamespacedConfigMapAsync("owner", ns, propagationPolicy: "Orphan", cancellationToken: Ct);

        Assert.False(await ExistsAsync(ns, "owner"));
        var child = await Client.CoreV1.ReadNamespacedConfigMapAsync("child", ns, cancellationToken: Ct);
        Assert.Null(child.Metadata.OwnerReferences);
    }

    [Fact]
    public async Task An_unknown_propagation_policy_is_rejected()
    {
        var ns = await NewNamespaceAsync();
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("c"), ns, cancellationToken: Ct);

        var (code, status) = await FailureOf(() => Client.CoreV1.DeleteNamespacedConfigMapAsync("c", ns, propagationPolicy: "Sideways", cancellationToken: Ct));

        Assert.Equal(422, code);
        Assert.Contains("Sideways", status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_namespace_with_finalized_content_terminates_once_the_content_is_released()
    {
        var ns = await NewNamespaceAsync("slow");
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("held", ["a"]), ns, cancellationToken: Ct);

        await Client.CoreV1.DeleteNamespaceAsync(ns, cancellationToken: Ct);

        var terminating = await Client.CoreV1.ReadNamespaceAsync(ns, cancellationToken: Ct);
        Assert.Equal("Terminating", terminating.Status.Phase);
        var (code, status) = await FailureOf(() => Client.CoreV1.CreateNamespacedSecretAsync(Secret("late"), ns, cancellationToken: Ct));
        Assert.Equal(403, code);
        Assert.Contains("being terminated", status.Message, StringComparison.Ordinal);

        await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"metadata":{"finalizers":null}}""", V1Patch.PatchType.MergePatch), "held", ns, cancellationToken: Ct);
        await Poll.UntilAsync(async () => (await Client.CoreV1.ListNamespaceAsync(cancellationToken: Ct)).Items.Any(n => n.Metadata.Name == ns), present => !present, ct: Ct);
    }
}
