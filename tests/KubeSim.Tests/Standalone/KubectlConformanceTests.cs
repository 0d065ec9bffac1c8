using k8s;
using k8s.Models;
using Xunit;

namespace KubeSim.Tests.Standalone;

/// <summary>
/// The real kubectl drives a standalone KubeSim process through a user's everyday workflow; every step's output
/// is asserted, not only its exit code.
/// </summary>
public sealed class KubectlConformanceTests
{
    private const string Crd = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: widgets.example.com
        spec:
          group: example.com
          scope: Namespaced
          names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wd]}
          versions:
          - name: v1
            served: true
            storage: true
            subresources: {status: {}}
            additionalPrinterColumns:
            - {name: Size, type: integer, jsonPath: .spec.size}
            - {name: Ready, type: string, jsonPath: '.status.conditions[?(@.type=="Ready")].status'}
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    description: Desired state of the widget.
                    required: [size]
                    properties:
                      size: {type: integer, minimum: 1, maximum: 10, description: How big the widget is.}
                      color: {type: string, enum: [red, blue], default: red}
                  status:
                    type: object
                    x-kubernetes-preserve-unknown-fields: true
        """;

    private const string Widget = """
        apiVersion: example.com/v1
        kind: Widget
        metadata: {name: w1}
        spec: {size: 3}
        """;

    private const string Deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: 2
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers:
              - name: main
                image: nginx:1.27
        """;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Kubectl_imperative_create_commands_work_for_the_protobuf_kinds()
    {
        if (!Kubectl.IsInstalled())
        {
            Assert.Skip("kubectl is not on PATH");
        }

        await using var sim = await StandaloneKubeSim.StartAsync(Ct);
        var kubectl = new Kubectl(sim);

        Assert.Equal("namespace/team created", (await kubectl.RunAsync(Ct, "create", "namespace", "team")).Stdout.Trim());
        Assert.Equal("secret/creds created", (await kubectl.RunAsync(Ct, "create", "secret", "generic", "creds", "-n", "team", "--from-literal=token=abc")).Stdout.Trim());
        Assert.Equal("configmap/settings created", (await kubectl.RunAsync(Ct, "create", "configmap", "settings", "-n", "team", "--from-literal=mode=fast")).Stdout.Trim());
        Assert.Equal("serviceaccount/bot created", (await kubectl.RunAsync(Ct, "create", "serviceaccount", "bot", "-n", "team")).Stdout.Trim());

        Assert.Equal("YWJj Opaque", (await kubectl.RunAsync(Ct, "get", "secret", "creds", "-n", "team", "-o", "jsonpath={.data.token} {.type}")).Stdout);
        Assert.Equal("fast", (await kubectl.RunAsync(Ct, "get", "configmap", "settings", "-n", "team", "-o", "jsonpath={.data.mode}")).Stdout);
    }

    [Fact]
    public async Task Kubectl_applies_gets_patches_waits_rolls_out_and_deletes()
    {
        if (!Kubectl.IsInstalled())
        {
            Assert.Skip("kubectl is not on PATH");
        }

        await using var sim = await StandaloneKubeSim.StartAsync(Ct);
        var kubectl = new Kubectl(sim);
        string Manifest(string name, string text)
        {
            var path = Path.Combine(sim.Directory, name);
            File.WriteAllText(path, text);
            return path;
        }

        var applyCrd = await kubectl.RunAsync(Ct, "apply", "-f", Manifest("crd.yaml", Crd));
        Assert.True(applyCrd.ExitCode == 0, applyCrd.ToString());
        Assert.Equal("customresourcedefinition.apiextensions.k8s.io/widgets.example.com created", applyCrd.Stdout.Trim());

        var established = await kubectl.RunAsync(Ct, "wait", "--for=condition=Established", "crd/widgets.example.com", "--timeout=20s");
        Assert.Equal("customresourcedefinition.apiextensions.k8s.io/widgets.example.com condition met", established.Stdout.Trim());

        var applyWidget = await kubectl.RunAsync(Ct, "apply", "-f", Manifest("widget.yaml", Widget));
        Assert.True(applyWidget.ExitCode == 0, applyWidget.ToString());
        Assert.Equal("widget.example.com/w1 created", applyWidget.Stdout.Trim());

        var applyDeployment = await kubectl.RunAsync(Ct, "apply", "-f", Manifest("deployment.yaml", Deployment));
        Assert.Equal("deployment.apps/web created", applyDeployment.Stdout.Trim());
        var reapply = await kubectl.RunAsync(Ct, "apply", "-f", Path.Combine(sim.Directory, "deployment.yaml"));
        Assert.Equal("deployment.apps/web unchanged", reapply.Stdout.Trim());

        var table = (await kubectl.RunAsync(Ct, "get", "widgets")).Table;
        Assert.Equal(["NAME", "SIZE", "READY", "AGE"], table[0]);
        Assert.Equal(["w1", "3"], table[1][..2]);

        var yaml = await kubectl.RunAsync(Ct, "get", "wd", "w1", "-o", "yaml");
        Assert.Contains("kind: Widget", yaml.Stdout, StringComparison.Ordinal);
        Assert.Contains("size: 3", yaml.Stdout, StringComparison.Ordinal);
        Assert.Contains("color: red", yaml.Stdout, StringComparison.Ordinal);
        Assert.Contains("kubectl.kubernetes.io/last-applied-configuration", yaml.Stdout, StringComparison.Ordinal);

        var patch = await kubectl.RunAsync(Ct, "patch", "widget", "w1", "--type=merge", "-p", """{"spec":{"size":5}}""");
        Assert.Equal("widget.example.com/w1 patched", patch.Stdout.Trim());
        Assert.Equal("5 2", (await kubectl.RunAsync(Ct, "get", "widget", "w1", "-o", "jsonpath={.spec.size} {.metadata.generation}")).Stdout);

        var invalid = await kubectl.RunAsync(Ct, "patch", "widget", "w1", "--type=merge", "-p", """{"spec":{"size":50}}""");
        Assert.NotEqual(0, invalid.ExitCode);
        Assert.Contains("spec.size", invalid.Stderr, StringComparison.Ordinal);

        var waiting = kubectl.RunAsync(Ct, "wait", "--for=condition=Ready", "widget/w1", "--timeout=30s");
        using (var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(sim.KubeconfigPath)))
        {
            await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
                new V1Patch("""{"status":{"conditions":[{"type":"Ready","status":"True","reason":"Test","message":"set by the test"}]}}""", V1Patch.PatchType.MergePatch),
                "example.com", "v1", "default", "widgets", "w1", cancellationToken: Ct);
        }

        var ready = await waiting;
        Assert.True(ready.ExitCode == 0, ready.ToString());
        Assert.Equal("widget.example.com/w1 condition met", ready.Stdout.Trim());
        Assert.Equal(["w1", "5", "True"], (await kubectl.RunAsync(Ct, "get", "widgets", "--no-headers")).Table[0][..3]);

        var explain = await kubectl.RunAsync(Ct, "explain", "widget.spec.size");
        Assert.Contains("How big the widget is.", explain.Stdout, StringComparison.Ordinal);

        var rollout = await kubectl.RunAsync(Ct, "rollout", "status", "deployment/web", "--timeout=30s");
        Assert.True(rollout.ExitCode == 0, rollout.ToString());
        Assert.Contains("deployment \"web\" successfully rolled out", rollout.Stdout, StringComparison.Ordinal);
        var deployments = (await kubectl.RunAsync(Ct, "get", "deployments")).Table;
        Assert.Equal(["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"], deployments[0]);
        Assert.Equal(["web", "2/2", "2", "2"], deployments[1][..4]);

        var scaled = await kubectl.RunAsync(Ct, "scale", "deployment/web", "--replicas=3");
        Assert.Equal("deployment.apps/web scaled", scaled.Stdout.Trim());
        var rescaled = await kubectl.RunAsync(Ct, "rollout", "status", "deployment/web", "--timeout=30s");
        Assert.True(rescaled.ExitCode == 0, rescaled.ToString());
        Assert.Equal("3/3", (await kubectl.RunAsync(Ct, "get", "deployment", "web", "--no-headers")).Table[0][1]);

        var deleteWidget = await kubectl.RunAsync(Ct, "delete", "widget", "w1");
        Assert.Equal("widget.example.com \"w1\" deleted", deleteWidget.Stdout.Trim());
        var none = await kubectl.RunAsync(Ct, "get", "widgets");
        Assert.Equal("No resources found in default namespace.", none.Stderr.Trim());

        var deleteDeployment = await kubectl.RunAsync(Ct, "delete", "-f", Path.Combine(sim.Directory, "deployment.yaml"));
        Assert.Equal("deployment.apps \"web\" deleted", deleteDeployment.Stdout.Trim());
    }
}
