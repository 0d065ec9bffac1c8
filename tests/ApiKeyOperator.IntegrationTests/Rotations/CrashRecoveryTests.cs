using System.Text;
using ApiKeyOperator.Api;
using ApiKeyOperator.IntegrationTests.Operator;
using k8s.Models;
using Xunit;

namespace ApiKeyOperator.IntegrationTests.Rotations;

/// <summary>
/// The operator is killed at each phase boundary of a rotation (held there by a failing write), a fresh one
/// takes over, and the rotation still ends with exactly one new key, no workload rolled twice and no early
/// revocation.
/// </summary>
public sealed class CrashRecoveryTests(PrivateSimFixture cluster) : RotationTest(cluster), IClassFixture<PrivateSimFixture>
{
    private static readonly (string Resource, string Name)[] Dependents = [("daemonsets", "agent"), ("deployments", "web"), ("statefulsets", "db")];

    public override async ValueTask DisposeAsync()
    {
        Sim.Faults.Reset();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task Crash_after_issuing_is_persisted_and_before_the_secret_holds_the_new_key()
    {
        var (history, first) = await PrepareAsync();
        Sim.Faults.FailNextWrites("secrets", 10_000);
        await CreateRotationAsync("rotate-1", ApiKeyName);
        await WaitForPhaseAsync("rotate-1", RotationPhases.Issuing);
        await first.KillAsync();

        await RestartAndVerifyAsync(history);
    }

    [Fact]
    public async Task Crash_after_the_secret_holds_the_new_key_and_before_the_api_key_status_says_so()
    {
        var fault = new ApiKeys.FinalStatusFault { Armed = false };
        var (history, first) = await PrepareAsync(fault);
        fault.Armed = true;
        await CreateRotationAsync("rotate-1", ApiKeyName);
        var issuing = await WaitForPhaseAsync("rotate-1", RotationPhases.Issuing);
        await WaitForAsync<V1Secret>(SecretName, s => Encoding.UTF8.GetString(s.Data[SecretDataKeys.KeyId]) == issuing.Status.NewKeyId, "new key in the Secret");
        await first.KillAsync();
        var apiKey = await Resources<ApiKey>().GetAsync(Key(ApiKeyName), Ct);
        Assert.NotEqual(issuing.Status.NewKeyId, apiKey!.Status.CurrentKeyId);

        await RestartAndVerifyAsync(history);
    }

    [Fact]
    public async Task Crash_while_rolling_out_with_some_workloads_patched()
    {
        var (history, first) = await PrepareAsync();
        // DaemonSet/agent is rolled first; the Deployment and StatefulSet patches fail until the crash.
        Sim.Faults.FailNextWrites("deployments", 10_000);
        Sim.Faults.FailNextWrites("statefulsets", 10_000);
        await CreateRotationAsync("rotate-1", ApiKeyName);
        var rolling = await WaitForPhaseAsync("rotate-1", RotationPhases.RollingOut);
        await WaitForAsync<V1DaemonSet>("agent", d => RotationWorkloads.RolledKeyId(d.Spec.Template) == rolling.Status.NewKeyId, "rolled");
        await first.KillAsync();
        Assert.Null(RotationWorkloads.RolledKeyId((await Resources<V1Deployment>().GetAsync(Key("web"), Ct))!.Spec.Template));

        await RestartAndVerifyAsync(history);
    }

    [Fact]
    public async Task Crash_in_the_grace_period()
    {
        var (history, first) = await PrepareAsync();
        await CreateRotationAsync("rotate-1", ApiKeyName, s => s.GracePeriod = "3s");
        var grace = await WaitForPhaseAsync("rotate-1", RotationPhases.GracePeriod);
        await first.KillAsync();
        var apiKey = await Resources<ApiKey>().GetAsync(Key(ApiKeyName), Ct);
        Assert.Equal(KeyStates.Retiring, KeyOf(apiKey!, grace.Status.OldKeyId!).State);

        var done = await RestartAndVerifyAsync(history);
        var revokedAt = KeyOf((await Resources<ApiKey>().GetAsync(Key(ApiKeyName), Ct))!, done.Status.OldKeyId!).RevokedAt;
        Assert.True(revokedAt >= done.Status.RolledOutAt + TimeSpan.FromSeconds(3), $"revoked at {revokedAt:O}, rolled out at {done.Status.RolledOutAt:O}");
    }

    private async Task<(RotationHistory History, RunningOperator Operator)> PrepareAsync(ApiKeys.FinalStatusFault? fault = null)
    {
        var running = await StartOperatorAsync(configure: fault is null ? null : fault.Install);
        await ApiKeyWithKeyAsync();
        await DaemonSetAsync("agent", SecretUse.Volume);
        await DeploymentAsync("web", SecretUse.EnvFrom, replicas: 1);
        await StatefulSetAsync("db", SecretUse.ProjectedVolume, replicas: 1);
        await Task.WhenAll(WaitForDaemonSetReadyAsync("agent"), WaitForDeploymentReadyAsync("web"), WaitForStatefulSetReadyAsync("db"));
        var history = StartHistory();
        await CatchUpAsync(history);
        return (history, running);
    }

    private async Task<ApiKeyRotation> RestartAndVerifyAsync(RotationHistory history)
    {
        Sim.Faults.Reset();
        await StartOperatorAsync();
        var done = await WaitForPhaseAsync("rotate-1", RotationPhases.Succeeded);
        var apiKey = await WaitForAsync<ApiKey>(ApiKeyName, k => KeyOf(k, done.Status.OldKeyId!).State == KeyStates.Revoked, "old key revoked");
        await CatchUpAsync(history);

        // Exactly one new key: in the ApiKey's status and in every version of the Secret ever seen.
        Assert.Equal([done.Status.NewKeyId, done.Status.OldKeyId], apiKey.Status.Keys!.Select(k => k.Id));
        Assert.Equal(done.Status.NewKeyId, apiKey.Status.CurrentKeyId);
        var secretKeyIds = history.Events
            .Select(e => e.Object).OfType<V1Secret>()
            .Select(s => Encoding.UTF8.GetString(s.Data[SecretDataKeys.KeyId]))
            .Distinct();
        Assert.Equal([done.Status.OldKeyId, done.Status.NewKeyId], secretKeyIds);

        AssertRolledOnceAndRevokedAfterRollout(history, done, Dependents);
        return done;
    }
}
