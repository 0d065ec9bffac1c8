using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using KubeSim.Tests.Api;
using Xunit;

namespace KubeSim.Tests.Lifecycle;

public sealed class CrdDeletionTests : SimTestBase
{
    private static readonly ResourceId Crds = new("apiextensions.k8s.io", "v1", "customresourcedefinitions");
    private static readonly string CrdName = $"{TestCrds.Plural}.{TestCrds.Group}";

    [Fact]
    public async Task Deleting_a_crd_deletes_instances_through_their_finalizers_and_removes_the_crd_last()
    {
        await Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(TestCrds.Widget(), cancellationToken: Ct);
        await Poll.UntilAsync(() => Sim.Store.Registry.FindAnyVersion(TestCrds.Group, TestCrds.Plural) is not null, ct: Ct);
        var ns = await NewNamespaceAsync("apps");
        await Client.CustomObjects.CreateNamespacedCustomObjectAsync(Widget("held", ["example.com/cleanup"]), TestCrds.Group, "v1", ns, TestCrds.Plural, cancellationToken: Ct);
        await Client.CustomObjects.CreateNamespacedCustomObjectAsync(Widget("free", null), TestCrds.Group, "v1", ns, TestCrds.Plural, cancellationToken: Ct);

        await Client.ApiextensionsV1.DeleteCustomResourceDefinitionAsync(CrdName, cancellationToken: Ct);

        var crd = await Poll.UntilAsync(() => Task.FromResult(Sim.Store.Get(Crds, null, CrdName)!), c => Terminating(c)?["reason"]?.GetValue<string>() == "InstanceDeletionInProgress", ct: Ct);
        Assert.Contains("customresourcecleanup.apiextensions.k8s.io", ObjectMeta.Finalizers(crd));
        Assert.Equal("True", Terminating(crd)!["status"]!.GetValue<string>());
        Assert.Equal("CustomResource deletion is in progress", Terminating(crd)!["message"]!.GetValue<string>());
        var held = Sim.Store.Get(new ResourceId(TestCrds.Group, "v1", TestCrds.Plural), ns, "held");
        Assert.NotNull(held);
        Assert.True(ObjectMeta.IsDeleting(held!));
        Assert.Null(Sim.Store.Get(new ResourceId(TestCrds.Group, "v1", TestCrds.Plural), ns, "free"));

        var (code, status) = await FailureOf(() => Client.CustomObjects.CreateNamespacedCustomObjectAsync(Widget("late", null), TestCrds.Group, "v1", ns, TestCrds.Plural, cancellationToken: Ct));
        Assert.Equal(405, code);
        Assert.Equal("create not allowed while custom resource definition is terminating", status.Message);

        await Client.CustomObjects.PatchNamespacedCustomObjectAsync(new k8s.Models.V1Patch("""{"metadata":{"finalizers":null}}""", k8s.Models.V1Patch.PatchType.MergePatch),
            TestCrds.Group, "v1", ns, TestCrds.Plural, "held", cancellationToken: Ct);
        await Poll.UntilAsync(() => Sim.Store.Get(Crds, null, CrdName) is null, ct: Ct);
        Assert.Null(Sim.Store.Registry.FindAnyVersion(TestCrds.Group, TestCrds.Plural));
    }

    private static JsonObject? Terminating(JsonObject crd) =>
        (crd["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(c => c["type"]?.GetValue<string>() == "Terminating");

    private static Dictionary<string, object> Widget(string name, string[]? finalizers)
    {
        var metadata = new Dictionary<string, object> { ["name"] = name };
        if (finalizers is not null)
        {
            metadata["finalizers"] = finalizers;
        }

        return new Dictionary<string, object>
        {
            ["apiVersion"] = "example.com/v1",
            ["kind"] = "Widget",
            ["metadata"] = metadata,
            ["spec"] = new Dictionary<string, object> { ["size"] = 1 },
        };
    }
}
