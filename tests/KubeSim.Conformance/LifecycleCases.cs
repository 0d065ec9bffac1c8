using System.Text.Json.Nodes;
using Xunit;

namespace KubeSim.Conformance;

/// <summary>Garbage collection of dependents, finalizers and namespace termination.</summary>
public sealed class LifecycleCases(ConformanceCluster cluster) : ConformanceCase(cluster)
{
    [Fact]
    public async Task Dependents_of_a_deleted_owner_are_garbage_collected_in_the_background()
    {
        var owner = await Post(ConfigMaps, """{"metadata":{"name":"owner"}}""");
        var uid = owner.Body["metadata"]!["uid"]!.GetValue<string>();
        await Post($"/api/v1/namespaces/{Ns}/secrets", Template.Fill("""{"metadata":{"name":"dependent","ownerReferences":[{"apiVersion":"v1","kind":"ConfigMap","name":"owner","uid":"@0"}]}}""", uid));

        var deleted = await Delete($"{ConfigMaps}/owner");

        Assert.Equal(200, deleted.Code);
        await Eventually(async () => (await Get($"/api/v1/namespaces/{Ns}/secrets/dependent")).Code == 404 ? "gone" : null);
    }

    [Fact]
    public async Task A_finalizer_holds_a_deleted_object_with_a_deletion_timestamp_until_it_is_removed()
    {
        await Post(ConfigMaps, """{"metadata":{"name":"held","finalizers":["example.com/hold"]}}""");

        var deleting = await Delete($"{ConfigMaps}/held");
        var held = await Get($"{ConfigMaps}/held");
        var addFinalizer = await Patch($"{ConfigMaps}/held", """{"metadata":{"finalizers":["example.com/hold","example.com/more"]}}""", "application/merge-patch+json");
        var released = await Patch($"{ConfigMaps}/held", """{"metadata":{"finalizers":null}}""", "application/merge-patch+json");

        Assert.Equal(202, deleting.Code);
        Assert.NotNull(held.Body["metadata"]!["deletionTimestamp"]);
        Assert.Equal(422, addFinalizer.Code);
        Assert.Equal(200, released.Code);
        Assert.Equal(404, (await Get($"{ConfigMaps}/held")).Code);
    }

    [Fact]
    public async Task A_terminating_namespace_refuses_new_objects_with_403_until_its_contents_are_gone()
    {
        var ns = Ns + "-t";
        await Post("/api/v1/namespaces", Template.Fill("""{"metadata":{"name":"@0"}}""", ns));
        await Post($"/api/v1/namespaces/{ns}/configmaps", """{"metadata":{"name":"held","finalizers":["example.com/hold"]}}""");

        await Delete($"/api/v1/namespaces/{ns}");
        var terminating = await Get($"/api/v1/namespaces/{ns}");
        var refused = await Post($"/api/v1/namespaces/{ns}/configmaps", """{"metadata":{"name":"late"}}""");

        Assert.Equal("Terminating", terminating.Body["status"]!["phase"]!.GetValue<string>());
        Assert.Equal(403, refused.Code);
        Assert.Equal("Forbidden", refused.Body["reason"]!.GetValue<string>());
        Assert.Contains("because it is being terminated", refused.Body["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("NamespaceTerminating", refused.Body["details"]!["causes"]![0]!["reason"]!.GetValue<string>());

        await Eventually(async () => (await Get($"/api/v1/namespaces/{ns}/configmaps/held")).Body["metadata"]?["deletionTimestamp"] is not null ? "deleting" : null);
        await Patch($"/api/v1/namespaces/{ns}/configmaps/held", """{"metadata":{"finalizers":null}}""", "application/merge-patch+json");
        await Eventually(async () => (await Get($"/api/v1/namespaces/{ns}")).Code == 404 ? "gone" : null, TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task A_rolled_out_deployment_reports_available_progressing_and_its_observed_generation()
    {
        var path = $"/apis/apps/v1/namespaces/{Ns}/deployments";
        await Post(path, Workloads.Deployment("web", replicas: 2));

        var done = await Eventually(async () =>
        {
            var d = (await Get($"{path}/web")).Body;
            return d["status"]?["readyReplicas"]?.GetValue<int>() == 2 && d["status"]?["observedGeneration"]?.GetValue<long>() == Generation(d) ? d : null;
        }, TimeSpan.FromSeconds(120));

        var conditions = done["status"]!["conditions"]!.AsArray().OfType<JsonObject>().ToDictionary(c => c["type"]!.GetValue<string>());
        Assert.Equal("True", conditions["Available"]["status"]!.GetValue<string>());
        Assert.Equal("MinimumReplicasAvailable", conditions["Available"]["reason"]!.GetValue<string>());
        Assert.Equal("True", conditions["Progressing"]["status"]!.GetValue<string>());
        Assert.Equal("NewReplicaSetAvailable", conditions["Progressing"]["reason"]!.GetValue<string>());
        Assert.Equal(2, done["status"]!["updatedReplicas"]!.GetValue<int>());
    }
}
