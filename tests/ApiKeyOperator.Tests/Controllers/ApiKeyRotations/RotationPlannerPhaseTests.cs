using ApiKeyOperator.Api;
using ApiKeyOperator.Controllers.ApiKeyRotations;
using ApiKeyOperator.Identity;
using ApiKeyOperator.Rollouts;
using Xunit;
using static ApiKeyOperator.Tests.Controllers.ApiKeyRotations.RotationFixture;

namespace ApiKeyOperator.Tests.Controllers.ApiKeyRotations;

/// <summary>Every phase transition of <see cref="RotationPlanner"/>, as pure decisions on an observation.</summary>
public sealed class RotationPlannerPhaseTests
{
    [Fact]
    public void Pending_starts_by_persisting_both_key_ids_before_anything_else_with_its_audit_row_and_events()
    {
        var fixture = new RotationFixture();
        fixture.Deployment("web");
        var rotation = fixture.Add("r1");

        var plan = fixture.Step(rotation);

        var status = plan.Status!;
        Assert.Equal((RotationPhases.Issuing, OldKey, Candidate, T0), (status.Phase, status.OldKeyId, status.NewKeyId, status.StartedAt));
        Assert.Equal(RotationSpecs.Hash(rotation.Spec), status.SpecHash);
        Assert.Null(status.RevokeAllBut);
        Assert.Empty(plan.Rolls);
        var row = Assert.Single(plan.Audit);
        Assert.Equal(("RotationStarted", OldKey, "alice", "RotationStarted/uid-r1", "r1"), (row.Kind, row.KeyId, row.Actor, row.IdempotencyKey, row.Rotation));
        Assert.Equal(row.IdempotencyKey, Assert.Single(status.PendingAudit!).IdempotencyKey);
        Assert.Equal(Reasons.RotationStarted, Assert.Single(plan.Events).Reason);
        Assert.Empty(plan.ApiKeyEvents); // the ApiKey's Rotating condition says it; an Event there would be one more write
        Assert.Equal(("True", RotationPhases.Issuing), (Condition(status, ConditionTypes.Reconciling).Status, Condition(status, ConditionTypes.Reconciling).Reason));
    }

    [Fact]
    public void Issuing_waits_without_writing_until_the_apikey_controller_has_issued_then_freezes_the_dependents()
    {
        var fixture = new RotationFixture();
        var web = fixture.Deployment("web");
        var rotation = fixture.Add("r1");
        fixture.Step(rotation);
        fixture.Now = T0.AddMinutes(4);

        var waiting = fixture.Plan(rotation);
        Assert.Null(waiting.Status);
        Assert.Equal(TimeSpan.FromMinutes(6), waiting.RequeueAfter);

        fixture.IssueNewKey(rotation);
        var frozen = fixture.Step(rotation);

        Assert.Equal(RotationPhases.RollingOut, frozen.Status!.Phase);
        Assert.Equal([("Deployment", "web", false)], frozen.Status.Targets!.Select(t => (t.Kind, t.Name, t.Ready)));
        Assert.Empty(frozen.Rolls); // rolled only once the frozen set is persisted
        Assert.Contains("rolling 1 dependent: Deployment/web.", Condition(frozen.Status, ConditionTypes.Reconciling).Message);
        Assert.Equal([web], fixture.Step(rotation).Rolls);
    }

    [Fact]
    public void RollingOut_rolls_each_target_once_and_never_one_already_rolled_or_in_flight()
    {
        var fixture = new RotationFixture();
        fixture.Deployment("a");
        fixture.Deployment("b");
        var c = fixture.Deployment("c");
        var rotation = fixture.Add("r1");
        fixture.Step(rotation);
        fixture.IssueNewKey(rotation);
        fixture.Step(rotation);
        fixture.Deployment("a", RolloutStatus.Progressing("rolling"), rolledTo: Candidate);
        fixture.InFlight.Add(new WorkloadRef(WorkloadKinds.Deployment, "b"));

        var plan = fixture.Step(rotation);

        Assert.Equal([c], plan.Rolls);
        Assert.Null(plan.Status); // progress is not written per dependent
        Assert.Empty(fixture.Plan(rotation).Rolls);
    }

    [Fact]
    public void All_ready_starts_the_grace_period_healthy_for_kstatus_and_publishes_when_the_old_key_may_go()
    {
        var fixture = new RotationFixture();
        fixture.Deployment("web");
        var rotation = fixture.Add("r1");
        fixture.Step(rotation);
        fixture.IssueNewKey(rotation);
        fixture.Step(rotation);
        fixture.Step(rotation);
        fixture.Now = T0.AddMinutes(3);
        fixture.AllReady(rotation);

        var plan = fixture.Step(rotation);

        var status = plan.Status!;
        Assert.Equal((RotationPhases.GracePeriod, T0.AddMinutes(3), T0.AddMinutes(63)), (status.Phase, status.RolledOutAt, status.RevokeOldKeyAt));
        Assert.Equal(("False", "False", "False"), (Condition(status, ConditionTypes.Ready).Status, Condition(status, ConditionTypes.Reconciling).Status, Condition(status, ConditionTypes.Stalled).Status));
        Assert.Equal(Reasons.GracePeriod, Condition(status, ConditionTypes.Reconciling).Reason);
        Assert.Contains("All 1 dependent are Ready", Condition(status, ConditionTypes.Ready).Message.Replace("dependents", "dependent", StringComparison.Ordinal));
        Assert.Equal("RolledOut", Assert.Single(plan.Audit).Kind);
        Assert.Equal(TimeSpan.FromHours(1), plan.RequeueAfter);
    }

    [Fact]
    public void GracePeriod_waits_for_the_apikey_controller_to_revoke_then_succeeds()
    {
        var fixture = new RotationFixture();
        var rotation = fixture.Add("r1");
        fixture.Step(rotation);
        fixture.IssueNewKey(rotation);
        fixture.Step(rotation);
        fixture.Step(rotation); // no dependents: straight to the grace period
        Assert.Equal(RotationPhases.GracePeriod, rotation.Status.Phase);
        fixture.Now = T0.AddHours(2);

        Assert.Null(fixture.Plan(rotation).Status); // the rotation never revokes itself

        var old = fixture.ApiKey!.Status.Keys!.Single(k => k.Id == OldKey);
        (old.State, old.RevokedAt) = (KeyStates.Revoked, T0.AddHours(1));
        var done = fixture.Step(rotation);

        Assert.Equal((RotationPhases.Succeeded, T0.AddHours(2)), (done.Status!.Phase, done.Status.CompletedAt));
        Assert.Equal(RotationMetrics.Succeeded, done.Finished);
        Assert.Equal("True", Condition(done.Status, ConditionTypes.Ready).Status);
        Assert.Equal("RotationSucceeded", Assert.Single(done.Audit).Kind);
        Assert.Null(fixture.Plan(rotation).Status); // history: never acted on again
    }

    [Fact]
    public void Emergency_publishes_revoke_all_but_its_key_and_succeeds_without_a_grace_period()
    {
        var fixture = new RotationFixture();
        fixture.Deployment("web");
        var rotation = fixture.Add("leak", RotationStrategies.Emergency);

        var start = fixture.Step(rotation);
        Assert.Equal(Candidate, start.Status!.RevokeAllBut);
        fixture.IssueNewKey(rotation);
        fixture.Step(rotation);
        fixture.Step(rotation);
        fixture.AllReady(rotation);
        var done = fixture.Step(rotation);

        Assert.Equal(RotationPhases.Succeeded, done.Status!.Phase);
        Assert.Null(done.Status.RevokeOldKeyAt);
        Assert.Equal(["RolledOut", "RotationSucceeded"], done.Audit.Select(a => a.Kind));
    }

    [Fact]
    public void The_traffic_gate_waits_for_a_verified_use_of_the_new_key_then_times_out()
    {
        var fixture = new RotationFixture();
        var rotation = fixture.Add("r1", spec: s => { s.RequireTraffic = true; s.TrafficTimeout = "5m"; });
        fixture.Step(rotation);
        fixture.IssueNewKey(rotation);
        fixture.Step(rotation);

        var waiting = fixture.Step(rotation);
        Assert.Equal((RotationPhases.RollingOut, Reasons.WaitingForTraffic), (waiting.Status!.Phase, Condition(waiting.Status, ConditionTypes.Reconciling).Reason));
        Assert.Equal(TimeSpan.FromMinutes(5), waiting.RequeueAfter);

        fixture.ApiKey!.Status.Usage = new Dictionary<string, KeyUsageStatus> { [Candidate] = new() { LastUsedAt = T0.AddMinutes(1) } };
        Assert.Equal(RotationPhases.GracePeriod, fixture.Plan(rotation).Status!.Phase);

        fixture.ApiKey.Status.Usage = null;
        fixture.Now = T0.AddMinutes(5);
        var failed = fixture.Step(rotation);
        Assert.Equal((RotationPhases.Failed, Reasons.TrafficTimeout), (failed.Status!.Phase, Condition(failed.Status, ConditionTypes.Stalled).Reason));
    }

    [Fact]
    public void A_restore_rotation_of_the_operator_rolls_dependents_onto_the_key_already_in_the_secret()
    {
        var fixture = new RotationFixture { Requester = Requester.Operator };
        fixture.Deployment("web");
        var rotation = fixture.Add("svc-restore-0000aaaa");
        rotation.Metadata.Labels = new Dictionary<string, string> { [ApiKeyOperator.Controllers.ApiKeys.ApiKeyPlanner.RestoresKeyLabel] = OldKey };
        fixture.ApiKey!.Status.Keys!.Insert(0, new KeyRecord { Id = "0000cccc", State = KeyStates.Active, Hash = "sha256:" + new string('c', 64), CreatedAt = T0 });
        fixture.ApiKey.Status.Keys![1].State = KeyStates.Retiring;
        fixture.ApiKey.Status.CurrentKeyId = "0000cccc";

        fixture.Step(rotation);
        var rolling = fixture.Step(rotation);

        Assert.Equal((OldKey, "0000cccc", RotationPhases.RollingOut), (rotation.Status.OldKeyId, rotation.Status.NewKeyId, rolling.Status!.Phase));

        // The same labels on a user's rotation prove nothing: it issues a key of its own.
        var forged = new RotationFixture();
        var mine = forged.Add("svc-restore-0000aaaa");
        mine.Metadata.Labels = rotation.Metadata.Labels;
        Assert.Equal(Candidate, forged.Step(mine).Status!.NewKeyId);
    }
}
