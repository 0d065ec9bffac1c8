using ApiKeyOperator.Api;
using ApiKeyOperator.IntegrationTests.Harness;
using k8s.Models;
using Xunit;

namespace ApiKeyOperator.IntegrationTests.Rotations;

public sealed class FailedRotationTests(ClusterFixture cluster) : RotationTest(cluster)
{
    [Fact]
    public async Task A_dependent_that_never_becomes_ready_fails_the_rotation_and_both_keys_stay_valid()
    {
        await StartOperatorAsync();
        var oldKeyId = (await ApiKeyWithKeyAsync()).Status.CurrentKeyId!;
        await DeploymentAsync("web", SecretUse.Volume);
        await DeploymentAsync("broken", SecretUse.EnvFrom, replicas: 1, image: RotationWorkloads.BrokenImage, progressDeadlineSeconds: 2);
        await WaitForDeploymentReadyAsync("web");

        await CreateRotationAsync("rotate-1", ApiKeyName);
        var failed = await WaitForPhaseAsync("rotate-1", RotationPhases.Failed);

        var newKeyId = failed.Status.NewKeyId!;
        var stalled = Conditions.Find(failed.Status.Conditions, ConditionTypes.Stalled);
        Assert.NotNull(stalled);
        Assert.Equal(ConditionStatuses.True, stalled.Status);
        Assert.Equal(Reasons.ProgressDeadlineExceeded, stalled.Reason);
        Assert.Contains("broken", stalled.Message, StringComparison.Ordinal);
        Assert.False(Conditions.IsTrue(failed.Status.Conditions, ConditionTypes.Ready));
        Assert.Contains(await EventsAsync(), e => e.Type == "Warning" && e.InvolvedObject.Name == "rotate-1" && e.Message.Contains("broken", StringComparison.Ordinal));

        // Nothing revoked: the old key is still Retiring (valid) next to the new one, and the ApiKey says the rotation failed.
        var apiKey = await WaitForAsync<ApiKey>(ApiKeyName, k => Conditions.Find(k.Status?.Conditions, ConditionTypes.Rotating)?.Reason == Reasons.RotationFailed, "Rotating=False RotationFailed");
        Assert.Equal(ConditionStatuses.False, Conditions.Find(apiKey.Status.Conditions, ConditionTypes.Rotating)!.Status);
        Assert.Equal(KeyStates.Retiring, KeyOf(apiKey, oldKeyId).State);
        Assert.Equal(KeyStates.Active, KeyOf(apiKey, newKeyId).State);

        // The healthy dependent was rolled to the new key and runs it.
        await WaitForAsync<V1Deployment>("web", d => RotationWorkloads.RolledKeyId(d.Spec.Template) == newKeyId && Rollouts.RolloutReadiness.Evaluate(d).IsReady, "rolled to the new key and Ready");
        Assert.Equal(newKeyId, RotationWorkloads.RolledKeyId((await Resources<V1Deployment>().GetAsync(Key("broken"), Ct))!.Spec.Template));
    }

    [Fact]
    public async Task A_dependent_still_not_ready_at_the_rollout_timeout_fails_the_rotation_naming_it()
    {
        // The Deployment's own progress deadline (600 s) is far away: only spec.rollout.timeout can end this.
        await StartOperatorAsync();
        var oldKeyId = (await ApiKeyWithKeyAsync(s => s.Rollout = new RolloutSpec { Timeout = "3s" })).Status.CurrentKeyId!;
        await DeploymentAsync("slow", SecretUse.Volume, replicas: 1, image: RotationWorkloads.BrokenImage, progressDeadlineSeconds: 600);

        await CreateRotationAsync("rotate-1", ApiKeyName);
        var failed = await WaitForPhaseAsync("rotate-1", RotationPhases.Failed);

        var stalled = Conditions.Find(failed.Status.Conditions, ConditionTypes.Stalled)!;
        Assert.Equal(Reasons.RolloutTimeout, stalled.Reason);
        Assert.Contains("Deployment/slow", stalled.Message, StringComparison.Ordinal);
        Assert.Contains("spec.rollout.timeout", stalled.Message, StringComparison.Ordinal);
        Assert.True(failed.Status.CompletedAt >= failed.Status.StartedAt!.Value.AddSeconds(3), "failed before the timeout");
        var apiKey = (await Resources<ApiKey>().GetAsync(Key(ApiKeyName), Ct))!;
        Assert.Equal(KeyStates.Retiring, KeyOf(apiKey, oldKeyId).State);
    }

    [Fact]
    public async Task An_explicit_target_that_does_not_exist_fails_the_rotation_before_any_key_is_issued()
    {
        await StartOperatorAsync();
        var oldKeyId = (await ApiKeyWithKeyAsync(s => s.Rollout = new RolloutSpec { Targets = [new RolloutTarget { Kind = WorkloadKinds.Deployment, Name = "nope" }] })).Status.CurrentKeyId!;

        await CreateRotationAsync("rotate-1", ApiKeyName);
        var failed = await WaitForPhaseAsync("rotate-1", RotationPhases.Failed);

        var stalled = Conditions.Find(failed.Status.Conditions, ConditionTypes.Stalled)!;
        Assert.Equal(Reasons.TargetNotFound, stalled.Reason);
        Assert.Contains("Deployment/nope", stalled.Message, StringComparison.Ordinal);
        Assert.Null(failed.Status.NewKeyId);
        var apiKey = await Resources<ApiKey>().GetAsync(Key(ApiKeyName), Ct);
        var only = Assert.Single(apiKey!.Status.Keys!);
        Assert.Equal(oldKeyId, only.Id);
        Assert.Equal(KeyStates.Active, only.State);
    }
}
