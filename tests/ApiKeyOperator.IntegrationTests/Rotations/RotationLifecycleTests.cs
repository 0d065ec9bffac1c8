using ApiKeyOperator.Api;
using ApiKeyOperator.IntegrationTests.Harness;
using ApiKeyOperator.IntegrationTests.Operator;
using Xunit;

namespace ApiKeyOperator.IntegrationTests.Rotations;

public sealed class RotationLifecycleTests(ClusterFixture cluster) : RotationTest(cluster)
{
    [Fact]
    public async Task Emergency_rotation_revokes_the_old_key_before_any_dependent_rolls()
    {
        await StartOperatorAsync();
        var oldKeyId = (await ApiKeyWithKeyAsync()).Status.CurrentKeyId!;
        await DeploymentAsync("web", SecretUse.Volume);
        await WaitForDeploymentReadyAsync("web");
        var history = StartHistory();
        await CatchUpAsync(history);

        await CreateRotationAsync("rotate-1", ApiKeyName, s => s.Strategy = RotationStrategies.Emergency);
        var done = await WaitForPhaseAsync("rotate-1", RotationPhases.Succeeded);
        await CatchUpAsync(history);

        var newKeyId = done.Status.NewKeyId!;
        var revocation = history.Revocation(oldKeyId);
        Assert.NotNull(revocation);
        var rolling = history.First((e, s) => e.Object is ApiKeyRotation { Status.Phase: RotationPhases.RollingOut });
        Assert.NotNull(rolling);
        Assert.True(revocation.ResourceVersion < rolling.ResourceVersion, "the old key was still valid when rolling started");
        Assert.Null(done.Status.RevokeOldKeyAt);
        if (BackendKind == TestBackendKind.Sim)
        {
            var firstNewPod = history.First((e, s) => s.ReadyPods().Any(p => s.KeyIdOf(p, SecretName) == newKeyId));
            Assert.NotNull(firstNewPod);
            Assert.True(revocation.ResourceVersion < firstNewPod.ResourceVersion, "a pod ran the new key before the old one was revoked");
        }
    }

    [Fact]
    public async Task Zero_grace_period_revokes_as_soon_as_every_dependent_is_ready()
    {
        await StartOperatorAsync();
        var oldKeyId = (await ApiKeyWithKeyAsync()).Status.CurrentKeyId!;
        await DeploymentAsync("web", SecretUse.EnvSecretKeyRef);
        await WaitForDeploymentReadyAsync("web");
        var history = StartHistory();
        await CatchUpAsync(history);

        await CreateRotationAsync("rotate-1", ApiKeyName, s => s.GracePeriod = "0s");
        var done = await WaitForPhaseAsync("rotate-1", RotationPhases.Succeeded);
        await CatchUpAsync(history);

        var apiKey = await WaitForAsync<ApiKey>(ApiKeyName, k => KeyOf(k, oldKeyId).State == KeyStates.Revoked, "old key revoked");
        Assert.Equal(done.Status.RolledOutAt, done.Status.RevokeOldKeyAt);
        Assert.True(KeyOf(apiKey, oldKeyId).RevokedAt >= done.Status.RolledOutAt);
        var rolledOut = history.First((e, s) => e.Object is ApiKeyRotation { Status.RolledOutAt: not null });
        Assert.NotNull(rolledOut);
        Assert.True(rolledOut.ResourceVersion < history.Revocation(oldKeyId)!.ResourceVersion);
        Assert.All(((ApiKeyRotation)rolledOut.Object).Status.Targets!, t => Assert.True(t.Ready));
        if (BackendKind == TestBackendKind.Sim)
        {
            Assert.Empty(history.CredentialViolations(SecretName));
        }
    }

    [Fact]
    public async Task A_second_rotation_waits_for_the_first_and_then_runs_in_creation_order()
    {
        await StartOperatorAsync();
        var firstKeyId = (await ApiKeyWithKeyAsync()).Status.CurrentKeyId!;
        await DeploymentAsync("web", SecretUse.Volume);
        await WaitForDeploymentReadyAsync("web");
        var history = StartHistory();
        await CatchUpAsync(history);

        await CreateRotationAsync("rotate-a", ApiKeyName, s => s.GracePeriod = "0s");
        await CreateRotationAsync("rotate-b", ApiKeyName, s => s.GracePeriod = "0s");
        var a = await WaitForPhaseAsync("rotate-a", RotationPhases.Succeeded);
        var b = await WaitForPhaseAsync("rotate-b", RotationPhases.Succeeded);
        await CatchUpAsync(history);

        var waited = history.First((e, s) => e.Object is ApiKeyRotation { Metadata.Name: "rotate-b" } r
            && r.Status?.Phase == RotationPhases.Pending
            && Conditions.Find(r.Status.Conditions, ConditionTypes.Reconciling)?.Reason == Reasons.WaitingForRotation);
        Assert.NotNull(waited);
        // The waiting message does not name the head of the queue, so a change of head never rewrites a waiting rotation.
        Assert.Contains("run one at a time", Conditions.Find(((ApiKeyRotation)waited.Object).Status.Conditions, ConditionTypes.Reconciling)!.Message, StringComparison.Ordinal);
        Assert.Equal(firstKeyId, a.Status.OldKeyId);
        Assert.Equal(a.Status.NewKeyId, b.Status.OldKeyId);
        Assert.True(b.Status.StartedAt >= a.Status.CompletedAt, $"rotate-b started at {b.Status.StartedAt:O}, before rotate-a completed at {a.Status.CompletedAt:O}");
        var bIssuing = history.First((e, s) => e.Object is ApiKeyRotation { Metadata.Name: "rotate-b", Status.Phase: RotationPhases.Issuing });
        var aDone = history.First((e, s) => e.Object is ApiKeyRotation { Metadata.Name: "rotate-a", Status.Phase: RotationPhases.Succeeded });
        Assert.True(aDone!.ResourceVersion < bIssuing!.ResourceVersion);
    }

    [Fact]
    public async Task A_rotation_of_a_missing_api_key_stalls_and_proceeds_once_the_api_key_exists()
    {
        await StartOperatorAsync();
        await CreateRotationAsync("rotate-1", ApiKeyName, s => s.GracePeriod = "0s");
        var stalled = await WaitForAsync<ApiKeyRotation>("rotate-1", r => Conditions.IsTrue(r.Status?.Conditions, ConditionTypes.Stalled), "Stalled");
        Assert.Equal(RotationPhases.Pending, stalled.Status.Phase);
        Assert.Equal(Reasons.ApiKeyNotFound, Conditions.Find(stalled.Status.Conditions, ConditionTypes.Stalled)!.Reason);

        // The rotation may start the moment the first key exists, so the test learns that key from the rotation.
        await ApiKeyWithKeyAsync();
        var done = await WaitForPhaseAsync("rotate-1", RotationPhases.Succeeded);

        Assert.False(Conditions.IsTrue(done.Status.Conditions, ConditionTypes.Stalled));
        var apiKey = await WaitForAsync<ApiKey>(ApiKeyName, k => KeyOf(k, done.Status.OldKeyId!).State == KeyStates.Revoked, "old key revoked");
        Assert.Equal(done.Status.NewKeyId, apiKey.Status.CurrentKeyId);
        Assert.Equal([done.Status.NewKeyId, done.Status.OldKeyId], apiKey.Status.Keys!.Select(k => k.Id));
    }

    [Fact]
    public async Task Deleting_a_running_rotation_stops_it_without_revoking_anything()
    {
        await StartOperatorAsync();
        var oldKeyId = (await ApiKeyWithKeyAsync()).Status.CurrentKeyId!;
        await DeploymentAsync("web", SecretUse.Volume);
        await DeploymentAsync("slow", SecretUse.Volume, replicas: 1, image: RotationWorkloads.BrokenImage);
        await WaitForDeploymentReadyAsync("web");
        await CreateRotationAsync("rotate-1", ApiKeyName);
        var rolling = await WaitForPhaseAsync("rotate-1", RotationPhases.RollingOut);

        await Resources<ApiKeyRotation>().DeleteAsync(Key("rotate-1"), Ct);

        await Eventually.WaitAsync(async ct => await Resources<ApiKeyRotation>().GetAsync(Key("rotate-1"), ct) is null, Timeout, "rotation deleted", Ct);
        var apiKey = await WaitForAsync<ApiKey>(ApiKeyName, k => Conditions.Find(k.Status?.Conditions, ConditionTypes.Rotating)?.Status != ConditionStatuses.True, "no rotation running");
        apiKey = await WaitForAsync<ApiKey>(ApiKeyName, k => Conditions.IsTrue(k.Status?.Conditions, ConditionTypes.LeftoverKeyValid), "the leftover key shown");
        Assert.Equal(KeyStates.Retiring, KeyOf(apiKey, oldKeyId).State);
        // Both keys stay valid, visibly, and the old one for a bounded time only (spec.rotation.leftoverKeyLifetime, 168h).
        Assert.InRange(KeyOf(apiKey, oldKeyId).RevokeAt!.Value.ToUniversalTime(), DateTime.UtcNow.AddHours(167), DateTime.UtcNow.AddHours(169));
        Assert.Equal(2, apiKey.Status.ValidKeys);
        Assert.Equal(KeyStates.Active, KeyOf(apiKey, rolling.Status.NewKeyId!).State);
        Assert.DoesNotContain(await EventsAsync(), e => e.Reason == Reasons.Revoked);
    }
}
