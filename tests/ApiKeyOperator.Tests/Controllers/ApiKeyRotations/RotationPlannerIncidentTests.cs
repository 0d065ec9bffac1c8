using ApiKeyOperator.Api;
using ApiKeyOperator.Controllers.ApiKeyRotations;
using ApiKeyOperator.Rollouts;
using Xunit;
using static ApiKeyOperator.Tests.Controllers.ApiKeyRotations.RotationFixture;

namespace ApiKeyOperator.Tests.Controllers.ApiKeyRotations;

/// <summary>Every failure and incident rule of <see cref="RotationPlanner"/> (issue 10, incidents 1-8).</summary>
public sealed class RotationPlannerIncidentTests
{
    [Fact]
    public void Emergency_never_waits_behind_a_running_graceful_rotation_which_ends_superseded_and_revokes_nothing()
    {
        var fixture = new RotationFixture();
        fixture.Deployment("web");
        var graceful = fixture.Add("slow");
        fixture.Step(graceful);
        fixture.IssueNewKey(graceful);
        fixture.Step(graceful);
        fixture.Now = T0.AddMinutes(1);
        var emergency = fixture.Add("leak", RotationStrategies.Emergency);

        var started = fixture.Step(emergency);
        var superseded = fixture.Step(graceful);

        Assert.Equal(RotationPhases.Issuing, started.Status!.Phase);
        Assert.Equal(started.Status.NewKeyId, started.Status.RevokeAllBut);
        Assert.Equal((RotationPhases.Failed, Reasons.Superseded, "leak"), (superseded.Status!.Phase, Condition(superseded.Status, ConditionTypes.Stalled).Reason, superseded.Status.SupersededBy));
        Assert.Contains("Emergency ApiKeyRotation leak", Condition(superseded.Status, ConditionTypes.Stalled).Message);
        Assert.Null(superseded.Status.RevokeOldKeyAt);
        Assert.Null(superseded.Status.RevokeAllBut);
        Assert.DoesNotContain(superseded.Audit, a => a.Kind == "Revoked");
        Assert.Equal(RotationMetrics.Failed, superseded.Finished);
    }

    [Fact]
    public void Graceful_rotations_wait_in_line_and_a_waiting_rotation_is_not_rewritten_when_the_head_changes()
    {
        var fixture = new RotationFixture();
        var head = fixture.Add("a", created: T0);
        var second = fixture.Add("b", created: T0.AddSeconds(1));
        var third = fixture.Add("c", created: T0.AddSeconds(2));
        fixture.Step(head);
        fixture.Step(second);
        fixture.Step(third);
        Assert.Equal((RotationPhases.Issuing, RotationPhases.Pending), (head.Status.Phase, third.Status.Phase));
        Assert.Equal(Reasons.WaitingForRotation, Condition(third.Status, ConditionTypes.Reconciling).Reason);

        head.Status.Phase = RotationPhases.Failed; // the head finishes: b is next, c waits on unchanged

        Assert.Null(fixture.Plan(third).Status);
        Assert.Equal(RotationPhases.Issuing, fixture.Step(second).Status!.Phase);
        Assert.Null(fixture.Plan(third).Status);
    }

    [Fact]
    public void A_changed_spec_is_refused_with_a_condition_and_nothing_is_acted_on()
    {
        var fixture = new RotationFixture();
        fixture.Deployment("web");
        var rotation = fixture.Add("r1");
        fixture.Step(rotation);
        fixture.IssueNewKey(rotation);
        fixture.Step(rotation);
        rotation.Spec.ApiKeyName = "someone-else"; // retargeted mid-rollout
        rotation.Metadata.Generation = 2;

        var plan = fixture.Step(rotation);

        Assert.Empty(plan.Rolls);
        Assert.Equal(RotationPhases.RollingOut, plan.Status!.Phase);
        Assert.Equal(2, plan.Status.ObservedGeneration);
        var stalled = Condition(plan.Status, ConditionTypes.Stalled);
        Assert.Equal(("True", Reasons.SpecChanged), (stalled.Status, stalled.Reason));
        Assert.Contains("immutable", stalled.Message);
        Assert.Null(fixture.Plan(rotation).Status);
        Assert.False(RotationQueue.IsUnfinished(rotation));
    }

    [Fact]
    public void A_finished_rotation_whose_spec_is_edited_records_the_generation_and_stays_history()
    {
        var fixture = new RotationFixture();
        var rotation = fixture.Add("r1");
        fixture.Step(rotation);
        rotation.Status.Phase = RotationPhases.Succeeded;
        rotation.Spec.Reason = "edited";
        rotation.Metadata.Generation = 2;

        var plan = fixture.Step(rotation);

        Assert.Equal((RotationPhases.Succeeded, 2L), (plan.Status!.Phase, plan.Status.ObservedGeneration));
        Assert.Equal(Reasons.SpecChanged, Condition(plan.Status, ConditionTypes.Stalled).Reason);
    }

    [Theory]
    [InlineData("paused", "DeploymentPaused")]
    [InlineData("ondelete", "UnsupportedUpdateStrategy")]
    public void A_dependent_that_can_never_roll_fails_the_rotation_before_a_key_is_issued(string problem, string reason)
    {
        var fixture = new RotationFixture();
        fixture.Deployment("web");
        fixture.Deployment("stuck", RolloutStatus.Failed(reason, problem == "paused" ? "Deployment stuck is paused; resume it (kubectl rollout resume) to roll the new key" : "StatefulSet stuck uses the OnDelete update strategy"));
        var rotation = fixture.Add("r1");

        var plan = fixture.Step(rotation);

        Assert.Equal((RotationPhases.Failed, reason), (plan.Status!.Phase, Condition(plan.Status, ConditionTypes.Stalled).Reason));
        Assert.Null(plan.Status.NewKeyId);
        Assert.EndsWith("No key was issued.", Condition(plan.Status, ConditionTypes.Stalled).Message);
        Assert.DoesNotContain(";.", Condition(plan.Status, ConditionTypes.Stalled).Message);
    }

    [Fact]
    public void A_missing_explicit_target_fails_before_a_key_is_issued()
    {
        var fixture = new RotationFixture(s => s.Rollout.Targets = [new RolloutTarget { Kind = WorkloadKinds.Deployment, Name = "ghost" }]);
        var rotation = fixture.Add("r1");

        var plan = fixture.Step(rotation);

        Assert.Equal((RotationPhases.Failed, Reasons.TargetNotFound), (plan.Status!.Phase, Condition(plan.Status, ConditionTypes.Stalled).Reason));
        Assert.Contains("Deployment/ghost (ApiKey svc spec.rollout.targets)", Condition(plan.Status, ConditionTypes.Stalled).Message);
        Assert.Null(plan.Status.NewKeyId);
    }

    [Fact]
    public void An_invalid_apikey_spec_holds_the_rotation_pending_with_a_reason_naming_the_problem()
    {
        var fixture = new RotationFixture(s => s.Rotation.TrafficTimeout = "0s");
        var rotation = fixture.Add("r1");

        var plan = fixture.Step(rotation);

        Assert.Equal(RotationPhases.Pending, plan.Status!.Phase);
        var stalled = Condition(plan.Status, ConditionTypes.Stalled);
        Assert.Equal(("True", Reasons.ApiKeyNotReady), (stalled.Status, stalled.Reason));
        Assert.Contains("spec.rotation.trafficTimeout must be greater than 0s", stalled.Message);
        Assert.Null(plan.Status.NewKeyId);
    }

    [Fact]
    public void A_missing_apikey_stalls_pending_and_a_deleted_one_fails_a_running_rotation()
    {
        var fixture = new RotationFixture();
        var apiKey = fixture.ApiKey;
        fixture.ApiKey = null;
        var waiting = fixture.Add("r1");
        Assert.Equal((RotationPhases.Pending, Reasons.ApiKeyNotFound), (fixture.Step(waiting).Status!.Phase, Condition(waiting.Status, ConditionTypes.Stalled).Reason));

        fixture.ApiKey = apiKey;
        fixture.Step(waiting);
        fixture.ApiKey = null;
        var failed = fixture.Step(waiting);

        Assert.Equal((RotationPhases.Failed, Reasons.ApiKeyNotFound), (failed.Status!.Phase, Condition(failed.Status, ConditionTypes.Stalled).Reason));
    }

    [Fact]
    public void Rollout_timeout_and_a_target_deleted_mid_rollout_fail_with_the_old_key_valid_and_a_sentence_for_a_message()
    {
        var fixture = new RotationFixture();
        fixture.Deployment("web");
        fixture.Deployment("slow");
        var rotation = fixture.Add("r1");
        fixture.Step(rotation);
        fixture.IssueNewKey(rotation);
        fixture.Step(rotation);
        fixture.Step(rotation);
        fixture.Deployment("web", rolledTo: Candidate);
        fixture.Now = T0.AddMinutes(10);

        var timedOut = fixture.Plan(rotation);

        var message = Condition(timedOut.Status, ConditionTypes.Stalled).Message;
        Assert.Equal((RotationPhases.Failed, Reasons.RolloutTimeout), (timedOut.Status!.Phase, Condition(timedOut.Status, ConditionTypes.Stalled).Reason));
        Assert.Contains("Deployment/slow: Deployment slow: 1 of 2 updated replicas. Key 0000aaaa stays valid.", message);
        Assert.DoesNotContain(".;", message);
        Assert.DoesNotContain(";.", message);

        fixture.Now = T0.AddMinutes(5);
        fixture.Workloads.Remove(new WorkloadRef(WorkloadKinds.Deployment, "slow"));
        var deleted = fixture.Plan(rotation);
        Assert.Equal(Reasons.TargetNotFound, Condition(deleted.Status, ConditionTypes.Stalled).Reason);
    }

    [Fact]
    public void A_key_changed_under_the_rotation_fails_it()
    {
        var fixture = new RotationFixture();
        var rotation = fixture.Add("r1");
        fixture.Step(rotation);
        fixture.ApiKey!.Status.CurrentKeyId = "0000dddd";

        var plan = fixture.Step(rotation);

        Assert.Equal((RotationPhases.Failed, Reasons.KeyChanged), (plan.Status!.Phase, Condition(plan.Status, ConditionTypes.Stalled).Reason));
    }

    [Fact]
    public void An_older_waiting_emergency_is_superseded_by_a_newer_one()
    {
        var fixture = new RotationFixture();
        var older = fixture.Add("leak-1", RotationStrategies.Emergency, created: T0);
        var newer = fixture.Add("leak-2", RotationStrategies.Emergency, created: T0.AddSeconds(5));

        Assert.Equal(RotationPhases.Issuing, fixture.Step(newer).Status!.Phase);
        var superseded = fixture.Step(older);

        Assert.Equal((RotationPhases.Failed, "leak-2"), (superseded.Status!.Phase, superseded.Status.SupersededBy));
    }
}
