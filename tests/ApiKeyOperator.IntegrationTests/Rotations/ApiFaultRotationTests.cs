using System.Text;
using ApiKeyOperator.Api;
using k8s.Models;
using Xunit;

namespace ApiKeyOperator.IntegrationTests.Rotations;

public sealed class ApiFaultRotationTests(PrivateSimFixture cluster) : RotationTest(cluster), IClassFixture<PrivateSimFixture>
{
    public override async ValueTask DisposeAsync()
    {
        Sim.Faults.Reset();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task Rotation_completes_correctly_while_writes_fail_and_watches_drop()
    {
        await StartOperatorAsync();
        await ApiKeyWithKeyAsync();
        await DeploymentAsync("web", SecretUse.Volume);
        await DeploymentAsync("worker", SecretUse.EnvSecretKeyRef);
        await StatefulSetAsync("db", SecretUse.EnvFrom);
        await DaemonSetAsync("agent", SecretUse.ProjectedVolume);
        await Task.WhenAll(WaitForDeploymentReadyAsync("web"), WaitForDeploymentReadyAsync("worker"), WaitForStatefulSetReadyAsync("db"), WaitForDaemonSetReadyAsync("agent"));
        var history = StartHistory();
        await CatchUpAsync(history);
        await CreateRotationAsync("rotate-1", ApiKeyName);

        // 10% of all writes fail with 500 (seeded), a few chosen ones with 409, and every watch ends after 50 events.
        Sim.Faults.SetFailureProbability(0.1, seed: 4242, statusCode: 500);
        Sim.Faults.FailNextWrites("apikeyrotations/status", 2, 409);
        Sim.Faults.FailNextWrites("apikeys/status", 2, 409);
        Sim.Faults.FailNextWrites("deployments", 1, 409);
        Sim.Faults.DropWatchesAfter(50);

        var done = await WaitForPhaseAsync("rotate-1", RotationPhases.Succeeded);
        var apiKey = await WaitForAsync<ApiKey>(ApiKeyName, k => KeyOf(k, done.Status.OldKeyId!).State == KeyStates.Revoked, "old key revoked");
        Sim.Faults.Reset();
        await CatchUpAsync(history);

        Assert.True(Sim.Requests.Snapshot().Count(r => r.Namespace == Namespace && r.StatusCode is 500 or 409) > 0, "no fault was injected");
        Assert.Equal([done.Status.NewKeyId, done.Status.OldKeyId], apiKey.Status.Keys!.Select(k => k.Id));
        Assert.Equal(
            [done.Status.OldKeyId, done.Status.NewKeyId],
            history.Events.Select(e => e.Object).OfType<V1Secret>().Select(s => Encoding.UTF8.GetString(s.Data[SecretDataKeys.KeyId])).Distinct());
        Assert.All(done.Status.Targets!, t => Assert.True(t.Ready, t.Message));
        Assert.Equal(4, done.Status.Targets!.Count);
        AssertRolledOnceAndRevokedAfterRollout(history, done, [("deployments", "web"), ("deployments", "worker"), ("statefulsets", "db"), ("daemonsets", "agent")]);
    }
}
