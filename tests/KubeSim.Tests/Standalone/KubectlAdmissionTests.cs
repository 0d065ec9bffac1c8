using KubeSim.Tests.Admission;
using System.Text.Json.Nodes;
using Xunit;

namespace KubeSim.Tests.Standalone;

/// <summary>
/// The real kubectl against a standalone KubeSim: a webhook-mutated create with the webhook's warning printed,
/// a CEL-rejected update, a terminating-namespace 403, and a --users identity reaching the webhook.
/// </summary>
public sealed class KubectlAdmissionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Kubectl_create_is_mutated_by_a_webhook_and_prints_its_warning()
    {
        if (!Kubectl.IsInstalled())
        {
            Assert.Skip("kubectl is not on PATH");
        }

        await using var hooks = await TestWebhookServer.StartAsync(Ct);
        hooks.On("/mutate", _ => TestWebhookServer.Patch(
            [new JsonObject { ["op"] = "add", ["path"] = "/metadata/labels", ["value"] = new JsonObject { ["team"] = "payments" } }],
            "configmaps in this cluster get a team label"));
        var users = Path.Combine(Path.GetTempPath(), "kubesim-users-" + Guid.NewGuid().ToString("N") + ".csv");
        await File.WriteAllTextAsync(users, "alice-token,alice,uid-alice,\"devs,payments\"\n", Ct);
        try
        {
            await using var sim = await StandaloneKubeSim.StartAsync(Ct, "--users", users);
            var kubectl = new Kubectl(sim);
            var config = Path.Combine(sim.Directory, "webhook.yaml");
            await File.WriteAllTextAsync(config, $"""
                apiVersion: admissionregistration.k8s.io/v1
                kind: MutatingWebhookConfiguration
                metadata: {"{"}name: team-label{"}"}
                webhooks:
                - name: team.example.com
                  clientConfig:
                    url: {hooks.UrlOf("/mutate")}
                    caBundle: {hooks.Certificates.CaBundle}
                  rules:
                  - {"{"}apiGroups: [""], apiVersions: [v1], resources: [configmaps], operations: [CREATE]{"}"}
                  sideEffects: None
                  admissionReviewVersions: [v1]
                """, Ct);

            var applied = await kubectl.RunAsync(Ct, "apply", "-f", config);
            Assert.True(applied.ExitCode == 0, applied.ToString());
            Assert.Equal("mutatingwebhookconfiguration.admissionregistration.k8s.io/team-label created", applied.Stdout.Trim());

            // kubectl sends no bearer token over plain HTTP, so the caller is named by impersonation here.
            var created = await kubectl.RunAsync(Ct, "--as", "alice", "--as-group", "devs", "create", "configmap", "demo", "--from-literal=a=b");
            Assert.True(created.ExitCode == 0, created.ToString());
            Assert.Equal("configmap/demo created", created.Stdout.Trim());
            Assert.Equal("Warning: configmaps in this cluster get a team label", created.Stderr.Trim());

            var label = await kubectl.RunAsync(Ct, "get", "configmap", "demo", "-o", "jsonpath={.metadata.labels.team}");
            Assert.Equal("payments", label.Stdout);
            var review = Assert.Single(hooks.Received("/mutate"))["request"]!;
            Assert.Equal("alice", review["userInfo"]!["username"]!.GetValue<string>());
            Assert.Equal(["devs", "system:authenticated"], review["userInfo"]!["groups"]!.AsArray().Select(g => g!.GetValue<string>()));

            // The --users file answers TokenReview (what `--review-auth kubernetes` asks) over HTTP with a bearer token.
            using var http = new HttpClient { BaseAddress = sim.Url };
            using var tokenReview = await http.PostAsync("apis/authentication.k8s.io/v1/tokenreviews",
                new StringContent("""{"apiVersion":"authentication.k8s.io/v1","kind":"TokenReview","spec":{"token":"alice-token"}}""", System.Text.Encoding.UTF8, "application/json"), Ct);
            var status = JsonNode.Parse(await tokenReview.Content.ReadAsStringAsync(Ct))!["status"]!;
            Assert.True(status["authenticated"]!.GetValue<bool>());
            Assert.Equal(("alice", "uid-alice"), (status["user"]!["username"]!.GetValue<string>(), status["user"]!["uid"]!.GetValue<string>()));
            Assert.Equal(["devs", "payments", "system:authenticated"], status["user"]!["groups"]!.AsArray().Select(g => g!.GetValue<string>()));
        }
        finally
        {
            File.Delete(users);
        }
    }

    [Fact]
    public async Task Kubectl_sees_a_CEL_rejected_update_and_a_terminating_namespace_403()
    {
        if (!Kubectl.IsInstalled())
        {
            Assert.Skip("kubectl is not on PATH");
        }

        await using var sim = await StandaloneKubeSim.StartAsync(Ct);
        var kubectl = new Kubectl(sim);
        var crd = Path.Combine(sim.Directory, "crd.yaml");
        await File.WriteAllTextAsync(crd, """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: gadgets.example.com}
            spec:
              group: example.com
              scope: Namespaced
              names: {plural: gadgets, singular: gadget, kind: Gadget}
              versions:
              - name: v1
                served: true
                storage: true
                schema:
                  openAPIV3Schema:
                    type: object
                    properties:
                      spec:
                        type: object
                        properties:
                          color:
                            type: string
                            x-kubernetes-validations:
                            - {rule: self == oldSelf, message: color is immutable}
            ---
            apiVersion: example.com/v1
            kind: Gadget
            metadata: {name: g1}
            spec: {color: blue}
            """, Ct);
        var applied = await kubectl.RunAsync(Ct, "apply", "-f", crd);
        if (applied.ExitCode != 0)
        {
            // The Gadget can race the CRD's discovery on the first apply; a second apply is what users do too.
            applied = await kubectl.RunAsync(Ct, "apply", "-f", crd);
        }

        Assert.True(applied.ExitCode == 0, applied.ToString());
        var rejected = await kubectl.RunAsync(Ct, "patch", "gadget", "g1", "--type=merge", "-p", """{"spec":{"color":"red"}}""");
        Assert.Equal(1, rejected.ExitCode);
        Assert.Equal("The Gadget \"g1\" is invalid: spec.color: Invalid value: \"string\": color is immutable", rejected.Stderr.Trim());

        Assert.Equal(0, (await kubectl.RunAsync(Ct, "create", "namespace", "doomed")).ExitCode);
        var held = Path.Combine(sim.Directory, "held.yaml");
        await File.WriteAllTextAsync(held, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: held, namespace: doomed, finalizers: [example.com/hold]}\n", Ct);
        Assert.Equal(0, (await kubectl.RunAsync(Ct, "apply", "-f", held)).ExitCode);
        var deleted = await kubectl.RunAsync(Ct, "delete", "namespace", "doomed", "--wait=false");
        Assert.True(deleted.ExitCode == 0, deleted.ToString());
        var refused = await kubectl.RunAsync(Ct, "create", "configmap", "late", "-n", "doomed");
        Assert.Equal(1, refused.ExitCode);
        Assert.Equal("error: failed to create configmap: configmaps \"late\" is forbidden: unable to create new content in namespace doomed because it is being terminated", refused.Stderr.Trim());
        var phase = await kubectl.RunAsync(Ct, "get", "namespace", "doomed", "-o", "jsonpath={.status.phase}");
        Assert.Equal("Terminating", phase.Stdout);
    }
}
