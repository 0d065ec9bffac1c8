using ApiKeyOperator.Api;
using ApiKeyOperator.IntegrationTests.Harness;
using ApiKeyOperator.Tests.Install;
using k8s.Models;
using Xunit;

namespace ApiKeyOperator.IntegrationTests.Rotations;

/// <summary>A typo in spec.rollout.targets shows on the ApiKey when it is applied, not when a rotation fails on it.</summary>
public sealed class RolloutTargetsConditionTests(ClusterFixture cluster) : RotationTest(cluster)
{
    [Fact]
    public async Task A_missing_explicit_target_shows_on_the_apikey_when_applied_and_clears_when_the_workload_appears()
    {
        await StartOperatorAsync();
        var applied = await ApiKeyWithKeyAsync(s => s.Rollout = new RolloutSpec
        {
            Targets = [new RolloutTarget { Kind = WorkloadKinds.Deployment, Name = "web" }, new RolloutTarget { Kind = WorkloadKinds.Deployment, Name = "web-typo" }],
        });

        // The key is issued as usual: a missing target blocks rotations, not the credential.
        Assert.True(Conditions.IsTrue(applied.Status.Conditions, ConditionTypes.Ready));
        var missing = await WaitForAsync<ApiKey>(
            ApiKeyName, k => Conditions.Find(k.Status?.Conditions, ConditionTypes.RolloutTargetsFound)?.Reason == Reasons.TargetNotFound, "RolloutTargetsFound=False");
        var condition = Conditions.Find(missing.Status.Conditions, ConditionTypes.RolloutTargetsFound)!;
        Assert.Equal(ConditionStatuses.False, condition.Status);
        Assert.Equal(
            $"Deployment web (spec.rollout.targets[0]), Deployment web-typo (spec.rollout.targets[1]) do not exist in namespace {Namespace}. " +
            "A rotation of this ApiKey fails until it is created or the target is removed; the current key is not affected.",
            condition.Message);
        await WaitForEventsAsync(
            events => events.Any(e => e.Type == "Warning" && e.Reason == Reasons.TargetNotFound && e.InvolvedObject.Name == ApiKeyName),
            "a TargetNotFound Warning on the ApiKey");

        // Creating one of the two workloads narrows the message at once (the ApiKey controller watches workloads).
        await DeploymentAsync("web", SecretUse.Volume);
        var narrowed = await WaitForAsync<ApiKey>(
            ApiKeyName,
            k => Conditions.Find(k.Status?.Conditions, ConditionTypes.RolloutTargetsFound)?.Message?.StartsWith("Deployment web-typo (spec.rollout.targets[1]) does not exist", StringComparison.Ordinal) == true,
            "only web-typo missing");
        Assert.Equal(ConditionStatuses.False, Conditions.Find(narrowed.Status.Conditions, ConditionTypes.RolloutTargetsFound)!.Status);

        // Fixing the typo in the spec turns the condition True.
        await Resources<ApiKey>().PatchAsync(Key(ApiKeyName), """{"spec":{"rollout":{"targets":[{"kind":"Deployment","name":"web"}]}}}""", Ct);
        var found = await WaitForAsync<ApiKey>(
            ApiKeyName, k => Conditions.IsTrue(k.Status?.Conditions, ConditionTypes.RolloutTargetsFound), "RolloutTargetsFound=True");
        Assert.Equal(Reasons.TargetsFound, Conditions.Find(found.Status.Conditions, ConditionTypes.RolloutTargetsFound)!.Reason);
        Assert.Equal(found.Metadata.Generation, Conditions.Find(found.Status.Conditions, ConditionTypes.RolloutTargetsFound)!.ObservedGeneration);

        // Deleting the target later turns it False again, before any rotation is asked for.
        await Resources<V1Deployment>().DeleteAsync(Key("web"), Ct);
        await WaitForAsync<ApiKey>(
            ApiKeyName, k => Conditions.IsFalse(k.Status?.Conditions, ConditionTypes.RolloutTargetsFound), "RolloutTargetsFound=False after the delete");
    }
}
