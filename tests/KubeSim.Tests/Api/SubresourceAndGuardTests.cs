using k8s;
using k8s.Models;
using Xunit;

namespace KubeSim.Tests.Api;

public sealed class SubresourceAndGuardTests : SimTestBase
{
    [Fact]
    public async Task Scale_subresource_reads_and_writes_spec_replicas()
    {
        var ns = await NewNamespaceAsync();
        await Client.AppsV1.CreateNamespacedDeploymentAsync(Workloads.Deployment("web", replicas: 2), ns, cancellationToken: Ct);

        var scale = await Client.AppsV1.ReadNamespacedDeploymentScaleAsync("web", ns, cancellationToken: Ct);
        var patched = await Client.AppsV1.PatchNamespacedDeploymentScaleAsync(new V1Patch("""{"spec":{"replicas":4}}""", V1Patch.PatchType.MergePatch), "web", ns, cancellationToken: Ct);

        Assert.Equal(2, scale.Spec.Replicas);
        Assert.Equal("app=web", scale.Status.Selector);
        Assert.Equal(4, patched.Spec.Replicas);
        var deployment = await Client.AppsV1.ReadNamespacedDeploymentAsync("web", ns, cancellationToken: Ct);
        Assert.Equal(4, deployment.Spec.Replicas);
        Assert.Equal(2, deployment.Metadata.Generation);
    }

    [Fact]
    public async Task Scale_update_with_a_stale_resource_version_is_Conflict()
    {
        var ns = await NewNamespaceAsync();
        await Client.AppsV1.CreateNamespacedStatefulSetAsync(new V1StatefulSet
        {
            Metadata = new V1ObjectMeta { Name = "db" },
            Spec = new V1StatefulSetSpec
            {
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "db" } },
                Template = Workloads.Deployment("db").Spec.Template,
            },
        }, ns, cancellationToken: Ct);
        var scale = await Client.AppsV1.ReadNamespacedStatefulSetScaleAsync("db", ns, cancellationToken: Ct);
        await Client.AppsV1.PatchNamespacedStatefulSetAsync(new V1Patch("""{"metadata":{"labels":{"x":"y"}}}""", V1Patch.PatchType.MergePatch), "db", ns, cancellationToken: Ct);

        scale.Spec.Replicas = 3;
        var (code, _) = await FailureOf(() => Client.AppsV1.ReplaceNamespacedStatefulSetScaleAsync(scale, "db", ns, cancellationToken: Ct));

        Assert.Equal(409, code);
    }

    [Fact]
    public async Task Dry_run_writes_answer_without_changing_anything()
    {
        var ns = await NewNamespaceAsync();
        var created = await Client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c" }, Data = new Dictionary<string, string> { ["a"] = "1" } }, ns, cancellationToken: Ct);

        var patched = await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"data":{"a":"2"}}""", V1Patch.PatchType.MergePatch), "c", ns, dryRun: "All", cancellationToken: Ct);
        await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "d" } }, ns, dryRun: "All", cancellationToken: Ct);
        await Client.CoreV1.DeleteNamespacedConfigMapAsync("c", ns, dryRun: "All", cancellationToken: Ct);

        Assert.Equal("2", patched.Data["a"]);
        var list = await Client.CoreV1.ListNamespacedConfigMapAsync(ns, cancellationToken: Ct);
        var only = Assert.Single(list.Items);
        Assert.Equal(created.Metadata.ResourceVersion, only.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task System_namespaces_may_not_be_deleted()
    {
        var (code, status) = await FailureOf(() => Client.CoreV1.DeleteNamespaceAsync("default", cancellationToken: Ct));

        Assert.Equal(403, code);
        Assert.Equal("Forbidden", status.Reason);
        Assert.Equal("namespaces \"default\" is forbidden: this namespace may not be deleted", status.Message);
    }

    [Fact]
    public async Task A_body_of_another_kind_is_BadRequest()
    {
        var ns = await NewNamespaceAsync();
        using var http = new HttpClient { BaseAddress = Sim.Url };
        using var body = new StringContent("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"}}""", System.Text.Encoding.UTF8, "application/json");

        using var response = await http.PostAsync(new Uri($"api/v1/namespaces/{ns}/secrets", UriKind.Relative), body, Ct);

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Empty((await Client.CoreV1.ListNamespacedSecretAsync(ns, cancellationToken: Ct)).Items);
    }

    [Fact]
    public async Task Deleting_a_crd_ends_watches_on_its_resource()
    {
        await Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(TestCrds.Widget(), cancellationToken: Ct);
        var ns = await NewNamespaceAsync();
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var opened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watcher = Client.CustomObjects.WatchListNamespacedCustomObject(TestCrds.Group, "v1", ns, TestCrds.Plural,
            onEvent: (_, _) => opened.TrySetResult(), onClosed: closed.SetResult, onError: _ => { });
        await Client.CustomObjects.CreateNamespacedCustomObjectAsync(new Dictionary<string, object>
        {
            ["apiVersion"] = "example.com/v1",
            ["kind"] = "Widget",
            ["metadata"] = new Dictionary<string, object> { ["name"] = "w" },
            ["spec"] = new Dictionary<string, object> { ["size"] = 1 },
        }, TestCrds.Group, "v1", ns, TestCrds.Plural, cancellationToken: Ct);
        await opened.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        await Client.ApiextensionsV1.DeleteCustomResourceDefinitionAsync($"{TestCrds.Plural}.{TestCrds.Group}", cancellationToken: Ct);

        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
    }
}
