using ApiKeyOperator.Api;
using ApiKeyOperator.IntegrationTests.Harness;
using ApiKeyOperator.Verification;
using k8s.Models;
using Xunit;

namespace ApiKeyOperator.IntegrationTests.Verification;

public sealed class TrafficGateTests(ClusterFixture cluster) : VerificationTest(cluster)
{
    private const string WaitingForTraffic = "WaitingForTraffic";

    [Fact]
    public async Task Rotation_requiring_traffic_waits_after_rollout_until_the_new_key_is_verified()
    {
        var running = await StartOperatorAsync();
        var oldKeyId = await PrepareAsync();

        await CreateRotationAsync("billing-r1", "billing", s => { s.RequireTraffic = true; s.GracePeriod = "1h"; });
        var waiting = await WaitForAsync<ApiKeyRotation>("billing-r1", IsWaitingForTraffic, "RollingOut, waiting for traffic");

        var target = Assert.Single(waiting.Status.Targets!);
        Assert.Equal(("Deployment", "web", true), (target.Kind, target.Name, target.Ready));
        Assert.NotNull(waiting.Status.RolledOutAt);
        Assert.Null(waiting.Status.RevokeOldKeyAt);
        var newKey = await ReadKeyAsync("billing-key");
        Assert.Equal(waiting.Status.NewKeyId, (await Reviews(running).ReviewAsync(newKey, Ct)).Status.KeyId);

        var grace = await WaitForPhaseAsync("billing-r1", RotationPhases.GracePeriod);
        Assert.NotNull(grace.Status.RevokeOldKeyAt);
        var apiKey = await Resources<ApiKey>().GetAsync(Key("billing"), Ct);
        Assert.NotNull(apiKey!.Status.Usage![waiting.Status.NewKeyId!].LastUsedAt);
        Assert.Equal(KeyStates.Retiring, apiKey.Status.Keys!.Single(k => k.Id == oldKeyId).State);
    }

    [Fact]
    public async Task Rotation_requiring_traffic_fails_after_the_traffic_timeout_with_nothing_revoked()
    {
        var running = await StartOperatorAsync();
        var oldKeyId = await PrepareAsync();
        var oldKey = await ReadKeyAsync("billing-key");

        await CreateRotationAsync("billing-r1", "billing", s => { s.RequireTraffic = true; s.TrafficTimeout = "2s"; });
        await WaitForAsync<ApiKeyRotation>("billing-r1", IsWaitingForTraffic, "RollingOut, waiting for traffic");
        var failed = await WaitForPhaseAsync("billing-r1", RotationPhases.Failed);

        var stalled = failed.Status.Conditions!.Single(c => c.Type == ConditionTypes.Stalled);
        Assert.Equal(("True", Reasons.TrafficTimeout), (stalled.Status, stalled.Reason));
        var apiKey = await Resources<ApiKey>().GetAsync(Key("billing"), Ct);
        Assert.DoesNotContain(apiKey!.Status.Keys!, k => k.State == KeyStates.Revoked);
        Assert.Null(apiKey.Status.Keys!.Single(k => k.Id == oldKeyId).RevokedAt);
        var reviews = Reviews(running);
        Assert.Equal(ReviewReason.Valid, (await reviews.ReviewAsync(oldKey, Ct)).Reason);
        Assert.Equal(ReviewReason.Valid, (await reviews.ReviewAsync(await ReadKeyAsync("billing-key"), Ct)).Reason);
    }

    private static bool IsWaitingForTraffic(ApiKeyRotation rotation) =>
        rotation.Status?.Phase == RotationPhases.RollingOut
        && rotation.Status.Conditions?.Any(c => c.Type == ConditionTypes.Reconciling && c.Status == "True" && c.Reason == WaitingForTraffic) == true
        && rotation.Status.Targets is { Count: > 0 } targets && targets.All(t => t.Ready);

    /// <summary>An issued ApiKey with one Ready Deployment mounting its Secret; returns the current key id.</summary>
    private async Task<string> PrepareAsync()
    {
        await CreateApiKeyAsync("billing");
        var apiKey = await WaitForReadyAsync("billing");
        await CreateDependentAsync("web", "billing-key");
        await WaitForAsync<V1Deployment>("web", d => d.Status?.AvailableReplicas == 1, "available");
        return apiKey.Status.CurrentKeyId!;
    }
}
