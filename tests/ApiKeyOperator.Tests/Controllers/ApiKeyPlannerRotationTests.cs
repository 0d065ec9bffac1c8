using ApiKeyOperator.Api;
using ApiKeyOperator.Controllers.ApiKeys;
using ApiKeyOperator.Keys;
using Xunit;
using static ApiKeyOperator.Tests.Controllers.ApiKeyPlannerIssueTests;

namespace ApiKeyOperator.Tests.Controllers;

/// <summary>The ApiKey controller's half of a rotation: issuing the key a rotation in Issuing asks for.</summary>
public sealed class ApiKeyPlannerRotationTests
{
    private const string NewKeyId = "5eed5eed";

    [Fact]
    public void Graceful_rotation_gets_its_key_and_the_old_key_turns_retiring()
    {
        var fixture = new PlannerFixture();
        fixture.Step();
        var old = fixture.CurrentKey.Id;
        fixture.EditSpec(s => s.Scopes = ["recordings:read", "recordings:write"]);
        fixture.Step();
        fixture.Clock.Advance(TimeSpan.FromDays(1));
        fixture.AddRotation("r1", RotationPhases.Issuing, NewKeyId);

        var plan = fixture.Step();

        Assert.Equal(SecretWriteKind.Replace, plan.SecretWriteKind);
        Assert.Equal(NewKeyId, fixture.ApiKey.Status.CurrentKeyId);
        Assert.Equal(NewKeyId, fixture.SecretText("keyId"));
        Assert.True(TokenFormat.TryParse(fixture.SecretText("apiKey"), out var parsed));
        Assert.Equal(NewKeyId, parsed.KeyId);
        Assert.Equal(fixture.Issued[^1].Hash, fixture.CurrentKey.Hash);
        Assert.Equal((KeyStates.Active, fixture.Now, fixture.Now.AddHours(8760)), (fixture.CurrentKey.State, fixture.CurrentKey.CreatedAt, fixture.CurrentKey.ExpiresAt));
        Assert.Equal(["recordings:read", "recordings:write"], fixture.CurrentKey.Scopes);
        var retiring = fixture.Key(old);
        Assert.Equal((KeyStates.Retiring, (DateTime?)null, (DateTime?)null), (retiring.State, retiring.RevokeAt, retiring.RevokedAt));
        var issued = Assert.Single(plan.Events);
        Assert.Equal((false, Reasons.Issued), (issued.Warning, issued.Reason));
        Assert.Contains("ApiKeyRotation r1", issued.Message);
        AssertCondition(fixture.ApiKey.Status, ConditionTypes.Ready, "True", Reasons.Issued);
        AssertCondition(fixture.ApiKey.Status, ConditionTypes.Rotating, "True", RotationPhases.Issuing);
        AssertCondition(fixture.ApiKey.Status, ConditionTypes.Reconciling, "True", RotationPhases.Issuing);
        Assert.Equal(retiring.ExpiresAt, plan.NextDeadline); // the retiring key still expires on its own
    }

    [Fact]
    public void Issued_rotation_key_is_not_issued_twice()
    {
        var fixture = new PlannerFixture();
        fixture.Step();
        fixture.AddRotation("r1", RotationPhases.Issuing, NewKeyId);
        fixture.Step();

        var plan = fixture.Plan();

        Assert.False(plan.HasWrites);
        Assert.Equal(2, fixture.Issued.Count);
    }

    [Fact]
    public void Emergency_rotation_revokes_the_old_key_at_issuance()
    {
        var fixture = new PlannerFixture();
        fixture.Step();
        var old = fixture.CurrentKey.Id;
        fixture.AddRotation("r1", RotationPhases.Issuing, NewKeyId, RotationStrategies.Emergency);

        var plan = fixture.Step();

        Assert.Equal(NewKeyId, fixture.ApiKey.Status.CurrentKeyId);
        Assert.Equal((KeyStates.Revoked, fixture.Now), (fixture.Key(old).State, fixture.Key(old).RevokedAt));
        Assert.Contains("revoked (Emergency rotation)", plan.Events.Single().Message);
    }

    [Theory]
    [InlineData(RotationStrategies.Graceful, KeyStates.Retiring)]
    [InlineData(RotationStrategies.Emergency, KeyStates.Revoked)]
    public void Crash_after_writing_the_rotation_key_adopts_it_with_the_rotation_semantics(string strategy, string oldState)
    {
        var fixture = new PlannerFixture();
        fixture.Step();
        var old = fixture.CurrentKey.Id;
        fixture.AddRotation("r1", RotationPhases.Issuing, NewKeyId, strategy);
        var issuing = fixture.Plan();
        fixture.ApiKey.Status = PlannerFixture.Clone(issuing.PendingStatus!); // the pending key's id and hash were persisted,
        fixture.Secret = PlannerFixture.Clone(issuing.SecretWrite); // the Secret landed, the final status did not

        var plan = fixture.Step();

        Assert.Null(plan.SecretWrite);
        Assert.Equal(2, fixture.Issued.Count);
        Assert.Equal(NewKeyId, fixture.ApiKey.Status.CurrentKeyId);
        Assert.Equal(oldState, fixture.Key(old).State);
        Assert.Equal(["recordings:read"], fixture.CurrentKey.Scopes);
        Assert.Equal(Reasons.KeyAdopted, plan.Events.Single().Reason);
    }

    [Fact]
    public void Rotation_for_another_old_key_is_not_served()
    {
        var fixture = new PlannerFixture();
        fixture.Step();
        fixture.AddRotation("r1", RotationPhases.Issuing, NewKeyId).Status.OldKeyId = "0000abcd";

        var plan = fixture.Step();

        Assert.Null(plan.SecretWrite);
        Assert.Single(fixture.Issued);
    }

    [Fact]
    public void Restoring_a_deleted_secret_during_issuing_uses_the_rotation_key_id()
    {
        var fixture = new PlannerFixture();
        fixture.Step();
        var lost = fixture.CurrentKey.Id;
        fixture.AddRotation("r1", RotationPhases.Issuing, NewKeyId);
        fixture.Secret = null;

        var plan = fixture.Step();

        // The rotation's key restores the Secret; the lost key retires as the rotation says, it is not revoked.
        Assert.Equal(NewKeyId, fixture.ApiKey.Status.CurrentKeyId);
        Assert.Equal(KeyStates.Retiring, fixture.Key(lost).State);
        Assert.Equal(Reasons.Issued, plan.Events.Single().Reason);
    }

    [Fact]
    public void Expired_key_stays_expired_when_a_rotation_replaces_it()
    {
        var fixture = new PlannerFixture(s => s.Validity = "1h");
        fixture.Step();
        var old = fixture.CurrentKey.Id;
        fixture.Clock.Advance(TimeSpan.FromHours(2));
        fixture.Step();
        fixture.AddRotation("r1", RotationPhases.Issuing, NewKeyId);

        fixture.Step();

        Assert.Equal(KeyStates.Expired, fixture.Key(old).State);
        Assert.Equal(NewKeyId, fixture.ApiKey.Status.CurrentKeyId);
        AssertCondition(fixture.ApiKey.Status, ConditionTypes.Ready, "True", Reasons.Issued);
    }

    [Theory]
    [InlineData(RotationPhases.Failed, Reasons.RotationFailed)]
    [InlineData(RotationPhases.Succeeded, Reasons.RotationSucceeded)]
    public void Finished_rotation_shows_on_the_rotating_condition_and_revokes_nothing(string phase, string reason)
    {
        var fixture = new PlannerFixture();
        fixture.Step();
        var old = fixture.CurrentKey.Id;
        var rotation = fixture.AddRotation("r1", RotationPhases.Issuing, NewKeyId);
        fixture.Step();
        rotation.Status.Phase = RotationRunsThrough(phase);
        fixture.Step();
        // During the grace period only waiting is left: not Rotating, so kstatus and Argo CD call the ApiKey healthy.
        AssertCondition(fixture.ApiKey.Status, ConditionTypes.Rotating, rotation.Status.Phase == RotationPhases.GracePeriod ? "False" : "True", rotation.Status.Phase);

        rotation.Status.Phase = phase;
        rotation.Status.CompletedAt = fixture.Now;
        var plan = fixture.Step();

        AssertCondition(fixture.ApiKey.Status, ConditionTypes.Rotating, "False", reason);
        AssertCondition(fixture.ApiKey.Status, ConditionTypes.Reconciling, "False", Reasons.Reconciled);
        Assert.Equal(KeyStates.Retiring, fixture.Key(old).State);
        Assert.Null(plan.SecretWrite);
        Assert.False(fixture.Plan().HasWrites);
    }

    [Fact]
    public void Pending_rotation_is_not_rotating()
    {
        var fixture = new PlannerFixture();
        fixture.Step();
        fixture.AddRotation("r1", RotationPhases.Pending);

        var plan = fixture.Plan();

        Assert.False(plan.HasWrites);
        Assert.Null(Conditions.Find(plan.Status.Conditions, ConditionTypes.Rotating));
    }

    [Fact]
    public void Generator_issues_under_a_given_key_id_and_rejects_a_malformed_one()
    {
        var generator = new KeyGenerator();

        var client = generator.Generate(CredentialFormat.ClientCredentials, "ak_", NewKeyId);

        Assert.Equal(("ak_" + NewKeyId, NewKeyId), (client.ClientId, client.KeyId));
        Assert.Throws<ArgumentException>(() => generator.Generate(CredentialFormat.Token, "ak_", "NOT-HEX!"));
    }

    private static string RotationRunsThrough(string finalPhase) =>
        finalPhase == RotationPhases.Failed ? RotationPhases.RollingOut : RotationPhases.GracePeriod;
}
