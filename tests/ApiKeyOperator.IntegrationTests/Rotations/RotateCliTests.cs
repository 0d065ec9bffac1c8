using ApiKeyOperator.Api;
using ApiKeyOperator.Cli;
using ApiKeyOperator.Hosting;
using ApiKeyOperator.IntegrationTests.Harness;
using Xunit;

namespace ApiKeyOperator.IntegrationTests.Rotations;

public sealed class RotateCliTests(ClusterFixture cluster) : RotationTest(cluster)
{
    [Fact]
    public async Task Rotate_wait_follows_a_rotation_to_success_and_exits_0()
    {
        await StartOperatorAsync();
        var oldKeyId = (await ApiKeyWithKeyAsync()).Status.CurrentKeyId!;
        await DeploymentAsync("web", SecretUse.Volume);
        await WaitForDeploymentReadyAsync("web");

        var (exit, output, error) = await RotateAsync("--grace-period", "0s", "--reason", "cli test");

        Assert.True(exit == 0, $"exit {exit}: {error}");
        Assert.Matches(@"apikeyrotation\.apikeyoperator\.io/svc-\w+ created", output);
        Assert.Contains("RollingOut", output, StringComparison.Ordinal);
        Assert.Contains("Succeeded", output, StringComparison.Ordinal);
        var rotation = Assert.Single((await Resources<ApiKeyRotation>().ListAsync(Namespace, null, Ct)).Items);
        Assert.Equal(RotationPhases.Succeeded, rotation.Status.Phase);
        Assert.Equal(oldKeyId, rotation.Status.OldKeyId);
        Assert.Equal("cli test", rotation.Spec.Reason);
        Assert.Contains($"apikeyrotation.apikeyoperator.io/{rotation.Metadata.Name} created", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rotate_wait_exits_1_when_the_rotation_fails()
    {
        await StartOperatorAsync();
        await ApiKeyWithKeyAsync();
        await DeploymentAsync("broken", SecretUse.EnvFrom, replicas: 1, image: RotationWorkloads.BrokenImage, progressDeadlineSeconds: 2);

        var (exit, output, error) = await RotateAsync();

        Assert.True(exit == 1, $"exit {exit}: {output} {error}");
        Assert.Contains("RollingOut", output, StringComparison.Ordinal);
        Assert.Contains("failed", error, StringComparison.Ordinal);
        Assert.Contains("broken", error, StringComparison.Ordinal);
    }

    private async Task<(int Exit, string Output, string Error)> RotateAsync(params string[] extra)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var root = OperatorCommands.Build(OperatorModules.All, RotateCommand.Create(output, error));
        string[] args = ["rotate", ApiKeyName, "--wait", "--timeout", "60s", "--kubeconfig", KubeconfigPath, "--namespace", Namespace, .. extra];
        var exit = await root.Parse(args).InvokeAsync(cancellationToken: Ct);
        return (exit, output.ToString(), error.ToString());
    }
}
