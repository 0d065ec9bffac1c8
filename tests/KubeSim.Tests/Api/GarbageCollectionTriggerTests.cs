using k8s;
using k8s.Models;
using Xunit;

namespace KubeSim.Tests.Api;

/// <summary>
/// The garbage collector is event-driven: a pass scans the store only after a write that can leave something to
/// collect (a removal, a deletion mark, an owner reference to an owner that is gone). The periodic loop is off here
/// (a day) and passes are run by hand, so what each write triggers is observed without timing.
/// </summary>
public sealed class GarbageCollectionTriggerTests : SimTestBase
{
    protected override KubeSimOptions Options => new() { RunControllers = false, GarbageCollectionInterval = TimeSpan.FromDays(1) };

    [Fact]
    public async Task Writes_that_orphan_nothing_start_no_scan_and_deleting_the_owner_does()
    {
        var ns = await NewNamespaceAsync();
        var owner = await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("owner"), ns, cancellationToken: Ct);
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("child", owner), ns, cancellationToken: Ct);
        Assert.Empty(Sim.Store.CollectGarbage());
        var scans = Sim.Store.CollectionScans;

        for (var i = 0; i < 20; i++)
        {
            await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{\"data\":{\"n\":\"" + i + "\"}}", V1Patch.PatchType.MergePatch), i % 2 == 0 ? "child" : "owner", ns, cancellationToken: Ct);
            await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap($"owned-{i}", owner), ns, cancellationToken: Ct);
            Assert.Empty(Sim.Store.CollectGarbage());
        }

        Assert.Equal(scans, Sim.Store.CollectionScans);

        await Client.CoreV1.DeleteNamespacedConfigMapAsync("owner", ns, cancellationToken: Ct);
        var plan = Sim.Store.CollectGarbage();

        Assert.Equal(scans + 1, Sim.Store.CollectionScans);
        Assert.Equal(21, plan.Count);
        Assert.Contains(plan, p => p.Object["metadata"]?["name"]?.GetValue<string>() == "child");
    }

    [Fact]
    public async Task A_dependent_created_for_an_owner_that_is_already_gone_is_collected()
    {
        var ns = await NewNamespaceAsync();
        var owner = await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("owner"), ns, cancellationToken: Ct);
        await Client.CoreV1.DeleteNamespacedConfigMapAsync("owner", ns, cancellationToken: Ct);
        Assert.Empty(Sim.Store.CollectGarbage());

        // A planted reference to the deleted owner's uid: nothing is removed afterwards, the create alone must count.
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("late", owner), ns, cancellationToken: Ct);
        var plan = Sim.Store.CollectGarbage();

        Assert.Equal("late", Assert.Single(plan).Object["metadata"]?["name"]?.GetValue<string>());
    }

    private static V1ConfigMap ConfigMap(string name, V1ConfigMap? owner = null) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            OwnerReferences = owner is null ? null : [new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = owner.Metadata.Name, Uid = owner.Metadata.Uid }],
        },
    };
}
