using ApiKeyOperator.Api;
using ApiKeyOperator.Controllers.ApiKeyRotations;
using ApiKeyOperator.Controllers;
using ApiKeyOperator.Controllers.ApiKeys;
using ApiKeyOperator.Ledger;
using k8s.Models;
using Xunit;

namespace ApiKeyOperator.Tests.Controllers;

/// <summary>Scheduled rotation: spec.rotation.every, rotation before expiry, historyLimit.</summary>
public sealed class ApiKeyPlannerScheduleTests
{
    private static readonly DateTime T0 = PlannerFixture.Start.UtcDateTime;

    [Fact]
    public void Next_rotation_is_every_after_issuance_and_is_the_next_deadline()
    {
        var fixture = new PlannerFixture(s => s.Rotation.Every = "720h");

        var plan = fixture.Step();

        Assert.Equal(T0.AddHours(720), fixture.ApiKey.Status.NextRotationAt);
        Assert.Equal(T0.AddHours(720), plan.NextDeadline);
        Assert.Null(plan.RotationToCreate);
    }

    [Theory]
    [InlineData(false, "2026-11-27T13:50:00Z")]
    [InlineData(true, "2026-11-27T12:50:00Z")]
    public void A_key_is_rotated_before_it_can_expire_under_a_rollout(bool requireTraffic, string expected)
    {
        var fixture = new PlannerFixture(s => { s.Validity = "96h"; s.Rotation.Every = "2160h"; s.Rotation.RequireTraffic = requireTraffic; });

        fixture.Step();

        // Expiry T0+96h, less the 10m rollout timeout (and the 1h traffic timeout when traffic is required).
        Assert.Equal(expected, ApiKeySecret.FormatTime(fixture.ApiKey.Status.NextRotationAt!.Value));
    }

    [Fact]
    public void Due_schedule_creates_one_owned_rotation_named_after_the_key()
    {
        var fixture = new PlannerFixture(s => s.Rotation.Every = "24h");
        fixture.Step();
        var key = fixture.CurrentKey.Id;
        fixture.Clock.Advance(TimeSpan.FromHours(24));

        var plan = fixture.Step();

        var rotation = plan.RotationToCreate!;
        Assert.Equal(($"billing-exporter-{key}", "payments"), (rotation.Metadata.Name, rotation.Metadata.NamespaceProperty));
        Assert.Equal("billing-exporter", rotation.Metadata.Labels[WellKnown.ApiKeyLabel]);
        Assert.Equal("true", rotation.Metadata.Labels[WellKnown.ScheduledLabel]);
        // Recorded in status (which only the operator writes) before the rotation exists: what proves it is the operator's.
        Assert.Equal(rotation.Metadata.Name, plan.Status.ScheduledRotation);
        Assert.Equal(("uid-1", true), (rotation.Metadata.OwnerReferences.Single().Uid, rotation.Metadata.OwnerReferences.Single().Controller));
        Assert.Equal(("billing-exporter", RotationStrategies.Graceful), (rotation.Spec.ApiKeyName, rotation.Spec.Strategy));
        Assert.Contains("24h", rotation.Spec.Reason);
        Assert.True(plan.HasWrites);
        Assert.True(plan.StatusChanged);
    }

    [Theory]
    [InlineData(RotationPhases.Pending, false)]
    [InlineData(RotationPhases.RollingOut, false)]
    [InlineData(RotationPhases.Failed, true)]
    public void No_scheduled_rotation_while_one_runs_or_after_one_for_this_key(string phase, bool sameName)
    {
        var fixture = new PlannerFixture(s => s.Rotation.Every = "24h");
        fixture.Step();
        var rotation = fixture.AddRotation("manual", phase);
        if (sameName)
        {
            rotation.Metadata.Name = RotationSchedule.NameFor("billing-exporter", fixture.CurrentKey.Id);
        }

        fixture.Clock.Advance(TimeSpan.FromDays(2));

        Assert.Null(fixture.Plan().RotationToCreate);
    }

    [Fact]
    public void A_completed_rotation_moves_the_schedule_to_the_new_key()
    {
        var fixture = new PlannerFixture(s => s.Rotation.Every = "24h");
        fixture.Step();
        fixture.Clock.Advance(TimeSpan.FromHours(24));
        var rotation = fixture.AddRotation(fixture.Plan().RotationToCreate!.Metadata.Name, RotationPhases.Issuing, "5eed5eed");

        fixture.Step();
        rotation.Status.Phase = RotationPhases.Succeeded;
        rotation.Status.CompletedAt = fixture.Now;
        var plan = fixture.Step();

        Assert.Equal(fixture.Now.AddHours(24), fixture.ApiKey.Status.NextRotationAt);
        Assert.Null(plan.RotationToCreate);
    }

    [Fact]
    public void An_expired_scheduled_key_is_due_at_once_and_stays_stable()
    {
        var fixture = new PlannerFixture(s => { s.Validity = "1h"; s.Rotation.Every = "24h"; s.Rotation.GracePeriod = "0s"; });
        fixture.Step();
        fixture.Clock.Advance(TimeSpan.FromHours(3));

        var plan = fixture.Step();

        Assert.Equal(T0.AddHours(1), fixture.ApiKey.Status.NextRotationAt);
        Assert.NotNull(plan.RotationToCreate);
        fixture.AddRotation(plan.RotationToCreate.Metadata.Name, RotationPhases.Pending);
        Assert.False(fixture.Plan().HasWrites);
    }

    [Fact]
    public void History_limit_prunes_only_finished_rotations_the_schedule_created()
    {
        var fixture = new PlannerFixture(s => s.Rotation.HistoryLimit = 2);
        fixture.Step();
        var owner = ApiKeySecret.OwnerReference(fixture.ApiKey);
        for (var i = 0; i < 4; i++)
        {
            fixture.AddRotation($"scheduled-{i}", RotationPhases.Succeeded, completedAt: T0.AddDays(i)).Metadata.OwnerReferences = [owner];
        }

        fixture.AddRotation("from-git", RotationPhases.Succeeded, completedAt: T0.AddDays(-5));
        fixture.AddRotation("running", RotationPhases.RollingOut).Metadata.OwnerReferences = [owner];

        var plan = fixture.Plan();

        Assert.Equal(["scheduled-0", "scheduled-1"], plan.RotationsToDelete.Select(k => k.Name));
    }

    [Fact]
    public void Without_a_schedule_nothing_is_planned()
    {
        var fixture = new PlannerFixture();
        fixture.Step();
        fixture.Clock.Advance(TimeSpan.FromDays(400));

        var plan = fixture.Step();

        Assert.Null(fixture.ApiKey.Status.NextRotationAt);
        Assert.Null(plan.RotationToCreate);
    }

    [Fact]
    public void Long_apikey_names_still_give_valid_rotation_names()
    {
        var name = RotationSchedule.NameFor(new string('a', 250), "0123abcd");

        Assert.Equal(253, name.Length);
        Assert.EndsWith("-0123abcd", name);
    }
}
