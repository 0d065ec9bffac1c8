using System.Text;
using ApiKeyOperator.Api;
using ApiKeyOperator.IntegrationTests.ApiKeys;
using ApiKeyOperator.IntegrationTests.Harness;
using ApiKeyOperator.IntegrationTests.Operator;
using ApiKeyOperator.Keys;
using k8s.Autorest;
using k8s.Models;
using Xunit;

namespace ApiKeyOperator.IntegrationTests.Rotations;

/// <summary>
/// The incidents of issue 10, each reproduced as a hostile user or an incident would against the real operator
/// on the cluster backend: Emergency pre-emption, hot-loop specs, immutable history, failing before acting, lost
/// or planted Secrets, visible leftover keys and honest health during the grace period.
/// </summary>
public sealed class IncidentTests(ClusterFixture cluster) : RotationTest(cluster)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task Emergency_pre_empts_a_running_graceful_rotation_and_revokes_every_earlier_key_at_once()
    {
        await StartOperatorAsync();
        var original = (await ApiKeyWithKeyAsync()).Status.CurrentKeyId!;
        await DeploymentAsync("slow", SecretUse.Volume, replicas: 1, image: RotationWorkloads.BrokenImage, progressDeadlineSeconds: 600);
        await CreateRotationAsync("graceful", ApiKeyName);
        var stuck = await WaitForPhaseAsync("graceful", RotationPhases.RollingOut);

        await CreateRotationAsync("leak", ApiKeyName, s => s.Strategy = RotationStrategies.Emergency);

        var emergency = await WaitForAsync<ApiKeyRotation>("leak", r => r.Status?.Phase is RotationPhases.RollingOut, "the Emergency rolling out");
        var superseded = await WaitForPhaseAsync("graceful", RotationPhases.Failed);
        Assert.Equal((Reasons.Superseded, "leak"), (Conditions.Find(superseded.Status.Conditions, ConditionTypes.Stalled)!.Reason, superseded.Status.SupersededBy));
        var apiKey = await WaitForAsync<ApiKey>(ApiKeyName, k => k.Status?.CurrentKeyId == emergency.Status.NewKeyId, "the Emergency key current");
        // The original key and the key the overtaken rotation issued (Retiring/Active before) are both revoked: only the Emergency's key verifies.
        Assert.Equal(KeyStates.Revoked, KeyOf(apiKey, original).State);
        Assert.Equal(KeyStates.Revoked, KeyOf(apiKey, stuck.Status.NewKeyId!).State);
        Assert.Equal(1, apiKey.Status.ValidKeys);
        Assert.Equal(emergency.Status.NewKeyId, Encoding.UTF8.GetString((await Resources<V1Secret>().GetAsync(Key(SecretName), Ct))!.Data[SecretDataKeys.KeyId]));
    }

    [Fact]
    public async Task A_validity_shorter_than_a_scheduled_rotation_needs_is_refused_instead_of_rotating_in_a_loop()
    {
        await StartOperatorAsync();
        await CreateApiKeyAsync(ApiKeyName, s =>
        {
            s.SecretName = SecretName;
            s.Validity = "2m";
            s.Rotation = new ApiKeyRotationPolicy { Every = "1m" };
        });

        var stalled = await WaitForAsync<ApiKey>(ApiKeyName, k => Conditions.IsTrue(k.Status?.Conditions, ConditionTypes.Stalled), "Stalled");
        var condition = Conditions.Find(stalled.Status.Conditions, ConditionTypes.Stalled)!;
        Assert.Equal(Reasons.InvalidSpec, condition.Reason);
        Assert.Contains("spec.validity", condition.Message, StringComparison.Ordinal);
        Assert.Contains("spec.rollout.timeout + spec.rotation.gracePeriod", condition.Message, StringComparison.Ordinal);
        await Task.Delay(TimeSpan.FromSeconds(2), Ct); // long enough for a hot loop to show
        Assert.Empty((await Resources<ApiKeyRotation>().ListAsync(Namespace, null, Ct)).Items);
        Assert.True((await EventsAsync()).Count < 5);

        await CreateApiKeyAsync("no-traffic", s => s.Rotation = new ApiKeyRotationPolicy { TrafficTimeout = "0s" });
        var refused = await WaitForAsync<ApiKey>("no-traffic", k => Conditions.IsTrue(k.Status?.Conditions, ConditionTypes.Stalled), "Stalled");
        Assert.Contains("spec.rotation.trafficTimeout must be greater than 0s", Conditions.Find(refused.Status.Conditions, ConditionTypes.Stalled)!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_retargeted_rotation_is_refused_and_never_touches_the_other_api_key()
    {
        await StartOperatorAsync();
        await ApiKeyWithKeyAsync();
        await CreateApiKeyAsync("other");
        var other = await WaitForReadyAsync("other");
        await DeploymentAsync("slow", SecretUse.Volume, replicas: 1, image: RotationWorkloads.BrokenImage, progressDeadlineSeconds: 600);
        await CreateRotationAsync("rotate-1", ApiKeyName);
        await WaitForPhaseAsync("rotate-1", RotationPhases.RollingOut);

        // The CRD's x-kubernetes-validations rule (self == oldSelf) refuses the edit at the API, as Kubernetes 1.27+ does.
        // The operator's own refusal of a changed spec, for a server that does not evaluate the rule, is proven by
        // RotationPlannerIncidentTests.A_changed_spec_is_refused_with_a_condition_and_nothing_is_acted_on.
        var refused = await Assert.ThrowsAsync<HttpOperationException>(() =>
            Resources<ApiKeyRotation>().PatchAsync(Key("rotate-1"), """{"spec":{"apiKeyName":"other"}}""", Ct));

        Assert.Equal(System.Net.HttpStatusCode.UnprocessableEntity, refused.Response.StatusCode);
        Assert.Contains("ApiKeyRotation.spec is immutable", refused.Message, StringComparison.Ordinal);
        var rotation = (await Resources<ApiKeyRotation>().GetAsync(Key("rotate-1"), Ct))!;
        Assert.Equal((ApiKeyName, 1L), (rotation.Spec.ApiKeyName, rotation.Metadata.Generation ?? 0));
        var untouched = (await Resources<ApiKey>().GetAsync(Key("other"), Ct))!;
        Assert.Equal(other.Status.Keys!.Select(k => (k.Id, k.State)), untouched.Status.Keys!.Select(k => (k.Id, k.State)));
        Assert.Equal(RotationPhases.RollingOut, (await Resources<ApiKeyRotation>().GetAsync(Key("rotate-1"), Ct))!.Status.Phase);
    }

    [Fact]
    public async Task A_paused_dependent_fails_the_rotation_before_any_key_is_issued_or_any_workload_rolled()
    {
        await StartOperatorAsync();
        var oldKeyId = (await ApiKeyWithKeyAsync()).Status.CurrentKeyId!;
        await DeploymentAsync("web", SecretUse.Volume, replicas: 1);
        var paused = RotationWorkloads.Deployment(Namespace, "paused", SecretName, SecretUse.EnvFrom, replicas: 1);
        paused.Spec.Paused = true;
        await Resources<V1Deployment>().CreateAsync(paused, Ct);
        await WaitForDeploymentReadyAsync("web");

        await CreateRotationAsync("rotate-1", ApiKeyName);
        var failed = await WaitForPhaseAsync("rotate-1", RotationPhases.Failed);

        var stalled = Conditions.Find(failed.Status.Conditions, ConditionTypes.Stalled)!;
        Assert.Equal("DeploymentPaused", stalled.Reason);
        Assert.Contains("No key was issued.", stalled.Message, StringComparison.Ordinal);
        Assert.Null(failed.Status.NewKeyId);
        var apiKey = (await Resources<ApiKey>().GetAsync(Key(ApiKeyName), Ct))!;
        Assert.Equal(oldKeyId, Assert.Single(apiKey.Status.Keys!).Id);
        Assert.Null(RotationWorkloads.RolledKeyId((await Resources<V1Deployment>().GetAsync(Key("web"), Ct))!.Spec.Template));
    }

    [Fact]
    public async Task A_well_formed_key_planted_in_the_secret_is_never_adopted()
    {
        await StartOperatorAsync();
        var first = await ApiKeyWithKeyAsync();
        var planted = new KeyGenerator().Generate(CredentialFormat.Token, "ak_");
        var secret = (await Resources<V1Secret>().GetAsync(Key(SecretName), Ct))!;
        secret.Data[SecretDataKeys.ApiKey] = Encoding.UTF8.GetBytes(planted.ApiKey!);
        secret.Data[SecretDataKeys.KeyId] = Encoding.UTF8.GetBytes(planted.KeyId);
        secret.Metadata.Annotations[WellKnown.KeyIdAnnotation] = planted.KeyId;
        await Resources<V1Secret>().ReplaceAsync(secret, Ct);

        var repaired = await WaitForAsync<ApiKey>(ApiKeyName, k => k.Status?.CurrentKeyId is { } id && id != first.Status.CurrentKeyId, "a fresh key");
        Assert.DoesNotContain(repaired.Status.Keys!, k => k.Id == planted.KeyId);
        Assert.Equal(KeyStates.Retiring, KeyOf(repaired, first.Status.CurrentKeyId!).State);
        var now = await WaitForAsync<V1Secret>(SecretName, s => Encoding.UTF8.GetString(s.Data[SecretDataKeys.KeyId]) == repaired.Status.CurrentKeyId, "the fresh key in the Secret");
        Assert.NotEqual(planted.ApiKey, Encoding.UTF8.GetString(now.Data[SecretDataKeys.ApiKey]));
    }

    [Fact]
    public async Task An_issued_at_annotation_far_in_the_future_never_wedges_a_reconcile()
    {
        await StartOperatorAsync();
        await ApiKeyWithKeyAsync();
        await Resources<V1Secret>().PatchAsync(Key(SecretName), "{\"metadata\":{\"annotations\":{\"" + WellKnown.IssuedAtAnnotation + "\":\"9999-01-01T00:00:00Z\"}}}", Ct);

        await Resources<ApiKey>().PatchAsync(Key(ApiKeyName), """{"spec":{"validity":"720h"}}""", Ct);

        var updated = await WaitForAsync<ApiKey>(ApiKeyName, k => k.Status?.ObservedGeneration == k.Metadata.Generation && Conditions.IsTrue(k.Status?.Conditions, ConditionTypes.Ready), "the edit applied");
        Assert.False(Conditions.IsTrue(updated.Status.Conditions, ConditionTypes.Stalled));
        Assert.Equal(1, updated.Status.ValidKeys);
    }

    [Fact]
    public async Task After_a_failed_graceful_rotation_two_valid_keys_show_in_a_column_a_condition_and_a_metric_with_a_bounded_lifetime()
    {
        var running = await StartOperatorAsync();
        var oldKeyId = (await ApiKeyWithKeyAsync(s => s.Rollout = new RolloutSpec { Timeout = "2s" })).Status.CurrentKeyId!;
        await DeploymentAsync("slow", SecretUse.Volume, replicas: 1, image: RotationWorkloads.BrokenImage, progressDeadlineSeconds: 600);

        await CreateRotationAsync("rotate-1", ApiKeyName);
        await WaitForPhaseAsync("rotate-1", RotationPhases.Failed);

        var apiKey = await WaitForAsync<ApiKey>(ApiKeyName, k => Conditions.IsTrue(k.Status?.Conditions, ConditionTypes.LeftoverKeyValid), "LeftoverKeyValid");
        Assert.Equal(2, apiKey.Status.ValidKeys);
        var leftover = Conditions.Find(apiKey.Status.Conditions, ConditionTypes.LeftoverKeyValid)!;
        Assert.Equal(Reasons.RotationFailed, leftover.Reason);
        Assert.Contains(oldKeyId, leftover.Message, StringComparison.Ordinal);
        Assert.InRange(KeyOf(apiKey, oldKeyId).RevokeAt!.Value.ToUniversalTime(), DateTime.UtcNow.AddHours(167), DateTime.UtcNow.AddHours(169));
        await Eventually.WaitAsync(
            async ct => PrometheusText.Sum(await Http.GetStringAsync(new Uri(running.MetricsUrl!, "metrics"), ct), "apikey_leftover_keys", $"name=\"{ApiKeyName}\"") == 1,
            Timeout, "apikey_leftover_keys 1", Ct);
        var metrics = await Http.GetStringAsync(new Uri(running.MetricsUrl!, "metrics"), Ct);
        Assert.Equal(1, PrometheusText.Sum(metrics, "apikey_rotations_total", $"namespace=\"{Namespace}\",name=\"{ApiKeyName}\",result=\"failed\""));
    }

    [Fact]
    public async Task While_only_the_grace_period_remains_the_api_key_and_rotation_are_healthy_for_kstatus()
    {
        await StartOperatorAsync();
        await ApiKeyWithKeyAsync();
        await DeploymentAsync("web", SecretUse.Volume, replicas: 1);
        await WaitForDeploymentReadyAsync("web");

        await CreateRotationAsync("rotate-1", ApiKeyName, s => s.GracePeriod = "1h");
        var grace = await WaitForPhaseAsync("rotate-1", RotationPhases.GracePeriod);

        // kstatus: Current when observedGeneration is current and neither Reconciling nor Stalled is True.
        Assert.False(Conditions.IsTrue(grace.Status.Conditions, ConditionTypes.Reconciling));
        Assert.False(Conditions.IsTrue(grace.Status.Conditions, ConditionTypes.Stalled));
        var apiKey = await WaitForAsync<ApiKey>(ApiKeyName, k => Conditions.Find(k.Status?.Conditions, ConditionTypes.Rotating)?.Reason == Reasons.GracePeriod, "the ApiKey in the grace period");
        Assert.Equal(apiKey.Metadata.Generation, apiKey.Status.ObservedGeneration);
        Assert.False(Conditions.IsTrue(apiKey.Status.Conditions, ConditionTypes.Reconciling));
        Assert.False(Conditions.IsTrue(apiKey.Status.Conditions, ConditionTypes.Rotating));
        Assert.True(Conditions.IsTrue(apiKey.Status.Conditions, ConditionTypes.Ready));
        Assert.Equal(KeyStates.Retiring, KeyOf(apiKey, grace.Status.OldKeyId!).State);
    }
}
