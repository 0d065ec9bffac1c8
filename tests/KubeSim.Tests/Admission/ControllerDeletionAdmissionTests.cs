using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Xunit;

namespace KubeSim.Tests.Admission;

/// <summary>Deletions by KubeSim's own controllers go through admission as their ServiceAccount users.</summary>
public sealed class ControllerDeletionAdmissionTests : WebhookTestBase
{
    [Fact]
    public async Task Namespace_controller_and_garbage_collector_deletes_are_reviewed_as_their_users()
    {
        var ns = await NewNamespaceAsync("gc");
        await ConfigureValidatingAsync(Webhook("deletes.example.com", "/deletes", Rule("", "configmaps", "DELETE")));
        var owner = await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "owner" } }, ns, cancellationToken: Ct);
        await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta
            {
                Name = "dependent",
                OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "owner", Uid = owner.Metadata.Uid }],
            },
        }, ns, cancellationToken: Ct);
        await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "content" } }, ns, cancellationToken: Ct);

        await Client.CoreV1.DeleteNamespacedConfigMapAsync("owner", ns, cancellationToken: Ct);
        await Poll.UntilAsync(() => Sim.Store.Get(new ResourceId("", "v1", "configmaps"), ns, "dependent") is null, ct: Ct);
        await Client.CoreV1.DeleteNamespaceAsync(ns, cancellationToken: Ct);
        await Poll.UntilAsync(() => Sim.Store.Get(new ResourceId("", "v1", "namespaces"), null, ns) is null, ct: Ct);

        var byName = Hooks.Received("/deletes").Select(r => r["request"]!).ToDictionary(r => r["name"]!.GetValue<string>(), r => r["userInfo"]!["username"]!.GetValue<string>());
        Assert.Equal("kubesim", byName["owner"]);
        Assert.Equal("system:serviceaccount:kube-system:generic-garbage-collector", byName["dependent"]);
        Assert.Equal("system:serviceaccount:kube-system:namespace-controller", byName["content"]);
    }

    [Fact]
    public async Task A_webhook_refusing_the_namespace_controller_keeps_the_content_and_the_namespace()
    {
        var ns = await NewNamespaceAsync("guarded");
        await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "precious" } }, ns, cancellationToken: Ct);
        Hooks.On("/guard", review => review["request"]!["userInfo"]!["username"]!.GetValue<string>().EndsWith(":namespace-controller", StringComparison.Ordinal)
            ? TestWebhookServer.Deny(403, "not while I watch")
            : TestWebhookServer.Allow());
        await ConfigureValidatingAsync(Webhook("guard.example.com", "/guard", Rule("", "configmaps", "DELETE")));

        await Client.CoreV1.DeleteNamespaceAsync(ns, cancellationToken: Ct);
        await Poll.UntilAsync(() => Hooks.Received("/guard").Count >= 2, ct: Ct);

        Assert.NotNull(Sim.Store.Get(new ResourceId("", "v1", "configmaps"), ns, "precious"));
        Assert.Equal("Terminating", Sim.Store.Get(new ResourceId("", "v1", "namespaces"), null, ns)!["status"]!["phase"]!.GetValue<string>());
    }
}
