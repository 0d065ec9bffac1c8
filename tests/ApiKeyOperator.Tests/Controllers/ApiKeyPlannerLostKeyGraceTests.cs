using ApiKeyOperator.Api;
using ApiKeyOperator.Controllers;
using ApiKeyOperator.Controllers.ApiKeys;
using Xunit;

namespace ApiKeyOperator.Tests.Controllers;

/// <summary>
/// A Secret lost again while a restore rotation is in its grace period (the model test's seed 5iBYmZYuUae1): the key
/// that rotation rolled the dependents onto is lost in turn, and the dependents still run it. The end of the first
/// rotation's grace period revokes its old key only; the lost key is retired by its own restore rotation.
/// </summary>
public sealed class ApiKeyPlannerLostKeyGraceTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(30);

    [Fact]
    public void End_of_grace_never_revokes_the_rotations_new_key_lost_from_the_secret_after_its_rollout()
    {
        var (fixture, first, second) = FirstRestoreInGrace();
        fixture.Secret = null; // lost again: every dependent runs `second`, the first restore's new key

        var lost = fixture.Step();
        var third = fixture.CurrentKey.Id;
        fixture.Rotations.Add(lost.RotationToCreate!); // its restore rotation waits behind the one in grace
        fixture.Clock.Advance(TimeSpan.FromHours(2));
        var plan = fixture.Step();

        Assert.Equal(Reasons.SecretLost, lost.Events.Single().Reason);
        Assert.Equal(second, lost.RotationToCreate!.Metadata.Labels[ApiKeyPlanner.RestoresKeyLabel]);
        AssertOnlyTheOldKeyRevoked(fixture, plan, first, second, third);
    }

    [Fact]
    public void Adopting_a_key_issued_for_a_lost_secret_after_a_crash_restores_gracefully_and_never_inherits_the_grace_of_another_rotation()
    {
        var (fixture, first, second) = FirstRestoreInGrace();
        fixture.Secret = null;

        // SecretLost issuance: the pending key and the Secret are written, then the operator crashes before the status
        // write and before it creates the restore rotation.
        var crashed = fixture.Plan();
        Assert.Equal(Reasons.SecretLost, crashed.Events.Single().Reason);
        fixture.ApiKey.Status = PlannerFixture.Clone(crashed.PendingStatus!);
        fixture.Secret = PlannerFixture.Clone(crashed.SecretWrite);
        var third = fixture.Issued[^1].KeyId;
        fixture.Clock.Advance(TimeSpan.FromHours(2));

        var plan = fixture.Step();

        Assert.Equal(3, fixture.Issued.Count);
        Assert.Equal(third, fixture.ApiKey.Status.CurrentKeyId);
        Assert.Equal(Reasons.KeyAdopted, plan.Audit.Single(a => a.Kind == AuditKinds.Issued).Reason);
        AssertOnlyTheOldKeyRevoked(fixture, plan, first, second, third);

        // The restore rotation the crash lost is created now, recorded in status first.
        var restore = plan.RotationToCreate!;
        Assert.Equal(second, restore.Metadata.Labels[ApiKeyPlanner.RestoresKeyLabel]);
        Assert.Equal(RotationStrategies.Graceful, restore.Spec.Strategy);
        Assert.Equal(restore.Metadata.Name, fixture.ApiKey.Status.ScheduledRotation);
        Assert.Contains(restore.Metadata.Name, plan.Events.Single(e => e.Reason == Reasons.KeyAdopted).Message);
    }

    [Fact]
    public void End_of_grace_still_revokes_a_key_older_than_the_rotations_old_key_left_by_a_failed_rotation()
    {
        var (fixture, first, second) = FirstRestoreInGrace();
        fixture.ApiKey.Status.Keys!.Add(new KeyRecord // appended: older than every key above it
        {
            Id = "0badc0de",
            State = KeyStates.Retiring,
            Hash = fixture.Key(first).Hash,
            CreatedAt = fixture.Now.AddDays(-1),
            ExpiresAt = fixture.Now.AddDays(300),
        });
        fixture.Clock.Advance(TimeSpan.FromHours(2));

        var plan = fixture.Step();

        Assert.Equal((KeyStates.Revoked, KeyStates.Revoked, KeyStates.Active), (fixture.Key("0badc0de").State, fixture.Key(first).State, fixture.Key(second).State));
        Assert.Equal(
            new[] { first, "0badc0de" }.Order(StringComparer.Ordinal),
            plan.Audit.Where(a => a.Reason == Reasons.GracePeriodEnded).Select(a => a.KeyId!).Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// Key <c>first</c> lost from the Secret; <c>second</c> issued in its place; its restore rotation has rolled every
    /// dependent onto <c>second</c> and is in its grace period.
    /// </summary>
    private static (PlannerFixture Fixture, string First, string Second) FirstRestoreInGrace()
    {
        var fixture = new PlannerFixture(s => s.Rotation = new ApiKeyRotationPolicy { GracePeriod = "30m" });
        fixture.Step();
        var first = fixture.CurrentKey.Id;
        fixture.Secret = null;
        var restore = fixture.Step().RotationToCreate!;
        var second = fixture.CurrentKey.Id;
        restore.Metadata.Uid = "rotation-restore";
        restore.Status = new ApiKeyRotationStatus
        {
            Phase = RotationPhases.GracePeriod,
            OldKeyId = first,
            NewKeyId = second,
            RevokeOldKeyAt = fixture.Now + Grace,
        };
        fixture.Rotations.Add(restore);
        return (fixture, first, second);
    }

    private static void AssertOnlyTheOldKeyRevoked(PlannerFixture fixture, ApiKeyPlan plan, string first, string second, string third)
    {
        Assert.Equal(KeyStates.Revoked, fixture.Key(first).State);
        Assert.Equal(KeyStates.Retiring, fixture.Key(second).State);
        Assert.Null(fixture.Key(second).RevokedAt);
        Assert.Equal(KeyStates.Active, fixture.Key(third).State);
        var revoked = Assert.Single(plan.Audit, a => a.Kind == AuditKinds.Revoked);
        Assert.Equal((first, Reasons.GracePeriodEnded), (revoked.KeyId, revoked.Reason));
    }
}
