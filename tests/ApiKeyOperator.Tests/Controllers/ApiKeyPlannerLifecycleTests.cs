using ApiKeyOperator.Api;
using ApiKeyOperator.Controllers.ApiKeys;
using k8s.Models;
using Xunit;
using static ApiKeyOperator.Tests.Controllers.ApiKeyPlannerIssueTests;

namespace ApiKeyOperator.Tests.Controllers;

public sealed class ApiKeyPlannerLifecycleTests
{
    private static readonly DateTime T0 = PlannerFixture.Start.UtcDateTime;

    [Theory]
    [InlineData("720h", null, "2026-12-23T14:00:00Z")]
    [InlineData("8760h", "2027-06-30T00:00:00Z", "2027-06-30T00:00:00Z")]
    [InlineData("2y", null, null)]
    public void Expiry_change_moves_only_the_expiry(string validity, string? expiresAt, string? expected)
    {
        var fixture = new PlannerFixture();
        fixture.Step();
        var before = (fixture.CurrentKey.Id, fixture.CurrentKey.Hash, fixture.SecretText("apiKey"));
        fixture.Clock.Advance(TimeSpan.FromDays(2));
        fixture.EditSpec(s => { s.Validity = validity; s.ExpiresAt = expiresAt is null ? null : DateTime.Parse(expiresAt, null, System.Globalization.DateTimeStyles.AdjustToUniversal); });

        var plan = fixture.Step();

        Assert.Single(fixture.Issued);
        Assert.Equal(before, (fixture.CurrentKey.Id, fixture.CurrentKey.Hash, fixture.SecretText("apiKey")));
        if (expected is null)
        {
            // "2y" is not a duration: invalid spec, nothing changes.
            AssertCondition(fixture.ApiKey.Status, ConditionTypes.Stalled, "True", Reasons.InvalidSpec);
            Assert.Equal("2027-11-23T14:00:00Z", fixture.SecretText("expiresAt"));
            return;
        }

        Assert.Equal(expected, fixture.SecretText("expiresAt"));
        Assert.Equal(expected, ApiKeySecret.FormatTime(fixture.CurrentKey.ExpiresAt!.Value));
        Assert.Equal(fixture.CurrentKey.ExpiresAt, fixture.ApiKey.Status.ExpiresAt);
        Assert.Equal(fixture.CurrentKey.ExpiresAt, plan.NextDeadline);
        Assert.Equal(SecretWriteKind.Replace, plan.SecretWriteKind);
        var updated = Assert.Single(plan.Events);
        Assert.Equal((false, Reasons.ExpiryUpdated), (updated.Warning, updated.Reason));
        AssertCondition(fixture.ApiKey.Status, ConditionTypes.Ready, "True", Reasons.ExpiryUpdated);
        Assert.Equal(2, Conditions.Find(fixture.ApiKey.Status.Conditions, ConditionTypes.Ready)!.ObservedGeneration);
    }

    [Fact]
    public void Key_past_its_expiry_is_expired_and_not_ready()
    {
        var fixture = new PlannerFixture(s => s.Validity = "1h");
        fixture.Step();
        var readySince = Conditions.Find(fixture.ApiKey.Status.Conditions, ConditionTypes.Ready)!.LastTransitionTime;
        fixture.Clock.Advance(TimeSpan.FromHours(1));

        var plan = fixture.Step();

        Assert.Null(plan.SecretWrite);
        Assert.Equal(KeyStates.Expired, fixture.CurrentKey.State);
        var ready = Conditions.Find(fixture.ApiKey.Status.Conditions, ConditionTypes.Ready)!;
        Assert.Equal(("False", Reasons.Expired, fixture.Now), (ready.Status, ready.Reason, ready.LastTransitionTime));
        Assert.NotEqual(readySince, ready.LastTransitionTime);
        Assert.Contains("create an ApiKeyRotation", ready.Message);
        var warning = Assert.Single(plan.Events);
        Assert.Equal((true, Reasons.Expired), (warning.Warning, warning.Reason));
        Assert.Null(plan.NextDeadline);
        Assert.False(fixture.Plan().HasWrites);
    }

    [Fact]
    public void Extending_the_expiry_does_not_revive_an_expired_key()
    {
        var fixture = new PlannerFixture(s => s.Validity = "1h");
        fixture.Step();
        fixture.Clock.Advance(TimeSpan.FromHours(2));
        fixture.Step();
        fixture.EditSpec(s => s.Validity = "720h");

        var plan = fixture.Step();

        Assert.Equal(KeyStates.Expired, fixture.CurrentKey.State);
        Assert.DoesNotContain(plan.Events, e => e.Reason == Reasons.ExpiryUpdated);
        Assert.Null(plan.SecretWrite);
        AssertCondition(fixture.ApiKey.Status, ConditionTypes.Ready, "False", Reasons.Expired);
        Assert.Single(fixture.Issued);
    }

    [Fact]
    public void No_key_is_born_expired_when_the_applied_absolute_expiry_has_passed()
    {
        var fixture = new PlannerFixture(s => s.ExpiresAt = T0.AddHours(1));
        fixture.Step();
        fixture.Clock.Advance(TimeSpan.FromHours(2));
        fixture.Step();
        fixture.Secret = null;

        var plan = fixture.Step();

        Assert.Single(fixture.Issued);
        Assert.Null(plan.SecretWrite);
        Assert.Contains("no key can be issued", Conditions.Find(fixture.ApiKey.Status.Conditions, ConditionTypes.Stalled)!.Message);
        AssertCondition(fixture.ApiKey.Status, ConditionTypes.Stalled, "True", Reasons.InvalidSpec);
    }

    [Fact]
    public void Requeue_deadline_is_the_earliest_expiry_or_revocation()
    {
        var fixture = new PlannerFixture();
        fixture.Step();
        var retiring = new KeyRecord { Id = "0badc0de", State = KeyStates.Retiring, Hash = "sha256:" + new string('0', 64), CreatedAt = T0.AddDays(-10), ExpiresAt = T0.AddDays(5), RevokeAt = T0.AddHours(2) };
        fixture.ApiKey.Status.Keys!.Add(retiring);

        Assert.Equal(T0.AddHours(2), fixture.Plan().NextDeadline);

        fixture.Clock.Advance(TimeSpan.FromHours(2));
        var plan = fixture.Step();

        var revoked = fixture.Key("0badc0de");
        Assert.Equal((KeyStates.Revoked, T0.AddHours(2), (DateTime?)null), (revoked.State, revoked.RevokedAt, revoked.RevokeAt));
        Assert.Equal((false, Reasons.Revoked), (plan.Events.Single().Warning, plan.Events.Single().Reason));
        Assert.Equal(fixture.CurrentKey.ExpiresAt, plan.NextDeadline);
        Assert.Null(plan.SecretWrite);
    }

    [Fact]
    public void Secret_name_change_moves_the_same_credential_then_deletes_the_old_secret()
    {
        var fixture = new PlannerFixture();
        fixture.Step();
        var token = fixture.SecretText("apiKey");
        var key = fixture.CurrentKey.Id;
        fixture.PreviousSecret = fixture.Secret;
        fixture.Secret = null;
        fixture.EditSpec(s => s.SecretName = "billing-exporter-key-v2");

        var plan = fixture.Step();

        Assert.Single(fixture.Issued);
        Assert.Equal(SecretWriteKind.Create, plan.SecretWriteKind);
        Assert.Equal("billing-exporter-key-v2", plan.SecretWrite!.Metadata.Name);
        Assert.Equal(token, fixture.SecretText("apiKey"));
        Assert.Equal(new ApiKeyOperator.Runtime.ObjectKey("payments", "billing-exporter-key"), plan.SecretToDelete);
        Assert.Equal(("billing-exporter-key-v2", key), (fixture.ApiKey.Status.SecretName, fixture.ApiKey.Status.CurrentKeyId));
        Assert.Equal(Reasons.SecretMoved, plan.Events.Single().Reason);
        Assert.False(fixture.Plan().HasWrites);
    }

    [Fact]
    public void Move_interrupted_after_the_new_secret_resumes_with_the_deletion()
    {
        var fixture = new PlannerFixture();
        fixture.Step();
        fixture.EditSpec(s => s.SecretName = "billing-exporter-key-v2");
        fixture.PreviousSecret = fixture.Secret;
        fixture.Secret = null;
        var move = fixture.Plan();
        fixture.Secret = PlannerFixture.Clone(move.SecretWrite); // crash after the new Secret was written

        var plan = fixture.Step();

        Assert.Null(plan.SecretWrite);
        Assert.Equal("billing-exporter-key", plan.SecretToDelete!.Value.Name);
        Assert.Equal("billing-exporter-key-v2", fixture.ApiKey.Status.SecretName);
        Assert.Single(fixture.Issued);
    }

    [Fact]
    public void Move_onto_a_foreign_secret_stalls_and_keeps_the_old_one()
    {
        var fixture = new PlannerFixture();
        fixture.Step();
        fixture.PreviousSecret = fixture.Secret;
        fixture.Secret = new V1Secret { Metadata = new V1ObjectMeta { Name = "taken", NamespaceProperty = "payments" } };
        fixture.EditSpec(s => s.SecretName = "taken");

        var plan = fixture.Step();

        Assert.Null(plan.SecretWrite);
        Assert.Null(plan.SecretToDelete);
        Assert.Equal("billing-exporter-key", fixture.ApiKey.Status.SecretName);
        AssertCondition(fixture.ApiKey.Status, ConditionTypes.Stalled, "True", Reasons.SecretConflict);
    }

    [Fact]
    public void A_previous_secret_that_is_no_longer_ours_is_not_deleted()
    {
        var fixture = new PlannerFixture();
        fixture.Step();
        fixture.PreviousSecret = new V1Secret { Metadata = new V1ObjectMeta { Name = "billing-exporter-key", NamespaceProperty = "payments" } };
        fixture.Secret = null;
        fixture.EditSpec(s => s.SecretName = "billing-exporter-key-v2");

        var plan = fixture.Step();

        Assert.Null(plan.SecretToDelete);
        Assert.Equal(Reasons.SecretLost, plan.Events.Single().Reason);
    }

    [Fact]
    public void Scope_change_updates_the_current_key_record_only()
    {
        var fixture = new PlannerFixture();
        fixture.Step();
        fixture.EditSpec(s => s.Scopes = ["recordings:read", "recordings:write"]);

        var plan = fixture.Step();

        Assert.Null(plan.SecretWrite);
        Assert.Equal(["recordings:read", "recordings:write"], fixture.CurrentKey.Scopes);
        Assert.Equal(Reasons.ScopesUpdated, plan.Events.Single().Reason);
    }

    [Fact]
    public void History_keeps_valid_keys_and_the_newest_historic_ones()
    {
        var fixture = new PlannerFixture();
        fixture.Step();
        for (var i = 0; i < 15; i++)
        {
            fixture.ApiKey.Status.Keys!.Add(new KeyRecord { Id = $"{i:x8}", State = KeyStates.Revoked, Hash = "sha256:" + new string('0', 64) });
        }

        fixture.ApiKey.Status.Keys!.Add(new KeyRecord { Id = "ffffffff", State = KeyStates.Retiring, Hash = "sha256:" + new string('0', 64) });

        fixture.Step();

        var keys = fixture.ApiKey.Status.Keys!;
        Assert.Equal(1 + ApiKeyPlanner.HistoricKeyLimit + 1, keys.Count);
        Assert.Equal(fixture.ApiKey.Status.CurrentKeyId, keys[0].Id);
        Assert.Equal("00000009", keys[ApiKeyPlanner.HistoricKeyLimit].Id);
        Assert.Equal("ffffffff", keys[^1].Id);
    }

    [Fact]
    public void Deletion_revokes_every_valid_key()
    {
        var fixture = new PlannerFixture();
        fixture.Step();
        fixture.ApiKey.Status.Keys!.Add(new KeyRecord { Id = "0badc0de", State = KeyStates.Retiring, Hash = "sha256:" + new string('0', 64), RevokeAt = T0.AddHours(1) });
        fixture.ApiKey.Status.Keys!.Add(new KeyRecord { Id = "0ldc0de0", State = KeyStates.Expired, Hash = "sha256:" + new string('0', 64) });
        fixture.Clock.Advance(TimeSpan.FromMinutes(5));

        var plan = ApiKeyPlanner.PlanDeletion(new ApiKeyObservation(fixture.ApiKey, null), fixture.Now, new ApiKeyOperator.Identity.Requester("kubectl", [], null));

        Assert.All(plan.Status.Keys!.Take(2), k => Assert.Equal((KeyStates.Revoked, fixture.Now), (k.State, k.RevokedAt)));
        Assert.Equal(KeyStates.Expired, plan.Status.Keys![2].State);
        var revoked = Assert.Single(plan.Events);
        Assert.Contains(fixture.ApiKey.Status.CurrentKeyId!, revoked.Message);
        Assert.Contains("0badc0de", revoked.Message);
        Assert.Null(plan.SecretWrite);
        AssertCondition(plan.Status, ConditionTypes.Ready, "False", Reasons.Revoked);
        Assert.Null(plan.NextDeadline);
        // One Deleted row per key that was valid travels with the write, and the finalizer waits for them.
        Assert.Equal([fixture.ApiKey.Status.CurrentKeyId, "0badc0de"], plan.Audit.Select(a => a.KeyId));
        Assert.All(plan.Audit, a => Assert.Equal(("Deleted", "kubectl"), (a.Kind, a.Actor)));
        AssertCondition(plan.Status, ConditionTypes.Reconciling, "True", Reasons.AuditPending);
    }
}
