using ApiKeyOperator.Api;
using ApiKeyOperator.IntegrationTests.Harness;
using k8s.Models;
using Xunit;

namespace ApiKeyOperator.IntegrationTests.Rotations;

public sealed class GracefulRotationTests(ClusterFixture cluster) : RotationTest(cluster)
{
    private static readonly string[] Dependents = ["Deployment/web", "Deployment/worker", "StatefulSet/db", "DaemonSet/agent"];

    [Fact]
    public async Task Graceful_rotation_rolls_every_reader_and_revokes_the_old_key_only_after_all_run_the_new_one()
    {
        await StartOperatorAsync();
        var before = await ApiKeyWithKeyAsync();
        var oldKeyId = before.Status.CurrentKeyId!;
        await DeploymentAsync("web", SecretUse.Volume);
        await DeploymentAsync("worker", SecretUse.EnvSecretKeyRef);
        await StatefulSetAsync("db", SecretUse.EnvFrom);
        await DaemonSetAsync("agent", SecretUse.ProjectedVolume);
        await DeploymentAsync("other", SecretUse.None);
        await Task.WhenAll(
            WaitForDeploymentReadyAsync("web"), WaitForDeploymentReadyAsync("worker"), WaitForStatefulSetReadyAsync("db"),
            WaitForDaemonSetReadyAsync("agent"), WaitForDeploymentReadyAsync("other"));
        var untouchedPods = (await PodsOfAsync("other")).Select(p => p.Metadata.Uid).Order().ToList();
        var history = StartHistory();
        await CatchUpAsync(history);

        await CreateRotationAsync("rotate-1", ApiKeyName);
        var done = await WaitForPhaseAsync("rotate-1", RotationPhases.Succeeded);
        await CatchUpAsync(history);

        var newKeyId = done.Status.NewKeyId!;
        Assert.Equal(oldKeyId, done.Status.OldKeyId);
        Assert.NotEqual(oldKeyId, newKeyId);
        Assert.Equal(Dependents.Order(), done.Status.Targets!.Select(t => $"{t.Kind}/{t.Name}").Order());
        Assert.All(done.Status.Targets!, t => Assert.True(t.Ready, t.Message));
        Assert.True(Conditions.IsTrue(done.Status.Conditions, ConditionTypes.Ready));

        // The four readers were rolled to the new key id; the fifth kept its pods and template.
        Assert.Equal(newKeyId, RotationWorkloads.RolledKeyId((await Resources<V1Deployment>().GetAsync(Key("web"), Ct))!.Spec.Template));
        Assert.Equal(newKeyId, RotationWorkloads.RolledKeyId((await Resources<V1Deployment>().GetAsync(Key("worker"), Ct))!.Spec.Template));
        Assert.Equal(newKeyId, RotationWorkloads.RolledKeyId((await Resources<V1StatefulSet>().GetAsync(Key("db"), Ct))!.Spec.Template));
        Assert.Equal(newKeyId, RotationWorkloads.RolledKeyId((await Resources<V1DaemonSet>().GetAsync(Key("agent"), Ct))!.Spec.Template));
        Assert.Null(RotationWorkloads.RolledKeyId((await Resources<V1Deployment>().GetAsync(Key("other"), Ct))!.Spec.Template));
        Assert.Equal(untouchedPods, (await PodsOfAsync("other")).Select(p => p.Metadata.Uid).Order().ToList());

        var apiKey = await WaitForAsync<ApiKey>(ApiKeyName, k => KeyOf(k, oldKeyId).State == KeyStates.Revoked, "old key revoked");
        Assert.Equal(KeyStates.Active, KeyOf(apiKey, newKeyId).State);
        Assert.Equal(newKeyId, apiKey.Status.CurrentKeyId);
        Assert.True(KeyOf(apiKey, oldKeyId).RevokedAt >= done.Status.RolledOutAt + TimeSpan.FromSeconds(2),
            $"revoked at {KeyOf(apiKey, oldKeyId).RevokedAt:O}, rolled out at {done.Status.RolledOutAt:O}: less than the 2s grace period");

        // From the watch, in server order: the old key turned Retiring, then Revoked only once every dependent was rolled out.
        var revocation = history.Revocation(oldKeyId);
        Assert.NotNull(revocation);
        var retiring = history.First((e, s) => e.Object is ApiKey k && k.Status?.Keys?.Any(r => r.Id == oldKeyId && r.State == KeyStates.Retiring) == true);
        Assert.NotNull(retiring);
        Assert.True(retiring.ResourceVersion < revocation.ResourceVersion);
        var graceStarted = history.First((e, s) => e.Object is ApiKeyRotation { Status.Phase: RotationPhases.GracePeriod });
        Assert.NotNull(graceStarted);
        Assert.True(graceStarted.ResourceVersion < revocation.ResourceVersion, "the old key was revoked before the rotation entered its grace period");

        if (BackendKind != TestBackendKind.Sim)
        {
            return; // Which credential a pod runs is known from KubeSim's secret-hash annotation only.
        }

        var state = new HistoryState();
        foreach (var e in history.Events.TakeWhile(e => e.ResourceVersion <= revocation.ResourceVersion))
        {
            state.Apply(e);
        }

        foreach (var app in new[] { "web", "worker", "db", "agent" })
        {
            var ready = state.ReadyPods().Where(p => p.Metadata.Labels["app"] == app).ToList();
            Assert.NotEmpty(ready);
            Assert.All(ready, p => Assert.Equal(newKeyId, state.KeyIdOf(p, SecretName)));
        }

        // The invariant held at every observed moment, and was not vacuous: old-key pods served before the rotation.
        Assert.Empty(history.CredentialViolations(SecretName));
        Assert.NotNull(history.First((e, s) => s.ReadyPods().Count(p => s.KeyIdOf(p, SecretName) == oldKeyId) >= 6));
        Assert.DoesNotContain(state.ReadyPods(), p => p.Metadata.Labels["app"] == "other" && state.KeyIdOf(p, SecretName) is not null);
    }
}
