using Xunit;

namespace KubeSim.Tests.Standalone;

/// <summary>kubectl apply --server-side (with and without --force-conflicts) and kubectl diff --server-side (a dry-run apply, as Argo CD diffs).</summary>
public sealed class KubectlServerSideApplyTests
{
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
    public async Task Server_side_apply_conflicts_force_and_diff_work_through_kubectl()
    {
        if (!Kubectl.IsInstalled())
        {
            Assert.Skip("kubectl is not on PATH");
        }

        await using var sim = await StandaloneKubeSim.StartAsync(Ct);
        var kubectl = new Kubectl(sim);
        var manifest = Path.Combine(sim.Directory, "deployment.yaml");
        await File.WriteAllTextAsync(manifest, Deployment, Ct);

        var applied = await kubectl.RunAsync(Ct, "apply", "--server-side", "-f", manifest);
        Assert.True(applied.ExitCode == 0, applied.ToString());
        Assert.Equal("deployment.apps/web serverside-applied", applied.Stdout.Trim());
        Assert.Equal("kubectl Apply", (await kubectl.RunAsync(Ct, "get", "deployment", "web", "--show-managed-fields", "-o", "jsonpath={.metadata.managedFields[0].manager} {.metadata.managedFields[0].operation}")).Stdout);

        var scaled = await kubectl.RunAsync(Ct, "scale", "deployment/web", "--replicas=5");
        Assert.True(scaled.ExitCode == 0, scaled.ToString());

        var conflict = await kubectl.RunAsync(Ct, "apply", "--server-side", "-f", manifest);
        Assert.NotEqual(0, conflict.ExitCode);
        Assert.Contains("Apply failed with 1 conflict: conflict with \"kubectl\" with subresource \"scale\" using apps/v1: .spec.replicas", conflict.Stderr, StringComparison.Ordinal);

        var diff = await kubectl.RunAsync(Ct, "diff", "--server-side", "--force-conflicts", "-f", manifest);
        Assert.Equal(1, diff.ExitCode);
        Assert.Contains("-  replicas: 5", diff.Stdout, StringComparison.Ordinal);
        Assert.Contains("+  replicas: 2", diff.Stdout, StringComparison.Ordinal);
        Assert.Equal("5", (await kubectl.RunAsync(Ct, "get", "deployment", "web", "-o", "jsonpath={.spec.replicas}")).Stdout);

        var forced = await kubectl.RunAsync(Ct, "apply", "--server-side", "--force-conflicts", "-f", manifest);
        Assert.True(forced.ExitCode == 0, forced.ToString());
        Assert.Equal("2", (await kubectl.RunAsync(Ct, "get", "deployment", "web", "-o", "jsonpath={.spec.replicas}")).Stdout);
        var unchanged = await kubectl.RunAsync(Ct, "diff", "--server-side", "-f", manifest);
        Assert.True(unchanged.ExitCode == 0, unchanged.ToString());
    }
}
