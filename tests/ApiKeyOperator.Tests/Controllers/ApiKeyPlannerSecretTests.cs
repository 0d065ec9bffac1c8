using System.Text;
using ApiKeyOperator.Api;
using ApiKeyOperator.Controllers.ApiKeys;
using ApiKeyOperator.Keys;
using k8s.Models;
using Xunit;
using static ApiKeyOperator.Tests.Controllers.ApiKeyPlannerIssueTests;

namespace ApiKeyOperator.Tests.Controllers;

public sealed class ApiKeyPlannerSecretTests
{
    [Fact]
    public void Crash_between_secret_and_status_adopts_the_key_instead_of_issuing_another()
    {
        var fixture = new PlannerFixture();
        var first = fixture.Plan();
        fixture.ApiKey.Status = PlannerFixture.Clone(first.PendingStatus!); // the pending key's id and hash were persisted first,
        fixture.Secret = PlannerFixture.Clone(first.SecretWrite); // the Secret write landed, the final status write did not

        var plan = fixture.Step();

        var credential = Assert.Single(fixture.Issued);
        Assert.Null(plan.SecretWrite);
        Assert.Equal(credential.KeyId, fixture.ApiKey.Status.CurrentKeyId);
        Assert.Null(fixture.ApiKey.Status.PendingKey);
        Assert.Equal((KeyStates.Active, credential.Hash, PlannerFixture.Start.UtcDateTime, PlannerFixture.Start.UtcDateTime.AddHours(8760)),
            (fixture.CurrentKey.State, fixture.CurrentKey.Hash, fixture.CurrentKey.CreatedAt, fixture.CurrentKey.ExpiresAt));
        Assert.Equal(Reasons.KeyAdopted, Assert.Single(plan.Events).Reason);
        // The Issued row the lost status write carried travels with this one, under the same idempotency key.
        Assert.Equal($"Issued/uid-1/{credential.KeyId}", Assert.Single(plan.Audit).IdempotencyKey);
        AssertCondition(fixture.ApiKey.Status, ConditionTypes.Ready, "True", Reasons.KeyAdopted);
    }

    [Fact]
    public void A_key_in_the_secret_is_never_adopted_without_its_persisted_id_and_hash()
    {
        var fixture = new PlannerFixture();
        fixture.Step();
        fixture.ApiKey.Status = new ApiKeyStatus(); // status lost: nothing persisted vouches for what the Secret holds

        var plan = fixture.Step();

        Assert.Equal(2, fixture.Issued.Count);
        Assert.Equal(fixture.Issued[1].KeyId, fixture.ApiKey.Status.CurrentKeyId);
        Assert.Equal(fixture.Issued[1].ApiKey, fixture.SecretText("apiKey"));
        Assert.Equal((true, Reasons.SecretMismatch), (plan.Events.Single().Warning, plan.Events.Single().Reason));
    }

    [Fact]
    public void A_planted_well_formed_key_is_never_adopted_and_the_lost_key_retires_gracefully()
    {
        var fixture = new PlannerFixture();
        fixture.Step();
        var previous = fixture.CurrentKey.Id;

        // Someone put another well-formed key (valid checksum) in the Secret, ownership intact.
        var planted = new KeyGenerator().Generate(CredentialFormat.Token, "ak_");
        fixture.Secret = ApiKeySecret.Build(fixture.ApiKey, planted, fixture.Now.AddHours(8760), fixture.Now, fixture.Secret);

        var plan = fixture.Step();

        Assert.Equal(2, fixture.Issued.Count);
        Assert.DoesNotContain(fixture.ApiKey.Status.Keys!, k => k.Id == planted.KeyId);
        Assert.Equal(fixture.Issued[1].KeyId, fixture.ApiKey.Status.CurrentKeyId);
        Assert.Equal(fixture.Issued[1].ApiKey, fixture.SecretText("apiKey"));
        Assert.Equal(KeyStates.Retiring, fixture.Key(previous).State);
        Assert.Equal($"billing-exporter-restore-{previous}", plan.RotationToCreate!.Metadata.Name);
    }

    [Fact]
    public void Deleted_secret_is_a_graceful_rotation_the_lost_key_stays_valid_until_dependents_are_rolled()
    {
        var fixture = new PlannerFixture();
        fixture.Step();
        var lost = fixture.CurrentKey.Id;
        fixture.Clock.Advance(TimeSpan.FromHours(1));
        fixture.Secret = null;

        var plan = fixture.Step();

        Assert.Equal(2, fixture.Issued.Count);
        Assert.Equal(SecretWriteKind.Create, plan.SecretWriteKind);
        Assert.NotNull(plan.PendingStatus!.PendingKey);
        Assert.Equal(fixture.Issued[1].KeyId, fixture.ApiKey.Status.CurrentKeyId);
        Assert.Equal((KeyStates.Retiring, null), (fixture.Key(lost).State, fixture.Key(lost).RevokedAt));
        var warning = Assert.Single(plan.Events);
        Assert.Equal((true, Reasons.SecretLost), (warning.Warning, warning.Reason));
        Assert.Contains(lost, warning.Message);
        AssertCondition(fixture.ApiKey.Status, ConditionTypes.Ready, "True", Reasons.SecretLost);

        // The restore rotation rolls the dependents; it is the operator's own, recorded in status before it exists.
        var restore = plan.RotationToCreate!;
        Assert.Equal(lost, restore.Metadata.Labels[ApiKeyPlanner.RestoresKeyLabel]);
        Assert.Equal(restore.Metadata.Name, fixture.ApiKey.Status.ScheduledRotation);
        Assert.Equal((RotationStrategies.Graceful, "uid-1"), (restore.Spec.Strategy, restore.Metadata.OwnerReferences.Single().Uid));
    }

    [Theory]
    [InlineData("apiKey")]
    [InlineData("keyId")]
    public void Altered_secret_data_gets_a_fresh_key_and_the_altered_one_retires_gracefully(string dataKey)
    {
        var fixture = new PlannerFixture();
        fixture.Step();
        var altered = fixture.CurrentKey.Id;
        fixture.Secret!.Data[dataKey] = Encoding.UTF8.GetBytes(fixture.SecretText(dataKey) + "x");

        var plan = fixture.Step();

        Assert.Equal(SecretWriteKind.Replace, plan.SecretWriteKind);
        Assert.Equal(fixture.Issued[1].ApiKey, fixture.SecretText("apiKey"));
        Assert.Equal(KeyStates.Retiring, fixture.Key(altered).State);
        Assert.Equal((true, Reasons.SecretLost), (plan.Events.Single().Warning, plan.Events.Single().Reason));
        Assert.NotNull(plan.RotationToCreate);
    }

    [Fact]
    public void Secret_annotations_from_far_in_the_future_never_break_a_reconcile()
    {
        var fixture = new PlannerFixture();
        var first = fixture.Plan();
        fixture.ApiKey.Status = PlannerFixture.Clone(first.PendingStatus!);
        fixture.Secret = PlannerFixture.Clone(first.SecretWrite)!;
        fixture.Secret.Metadata.Annotations[WellKnown.IssuedAtAnnotation] = "9999-01-01T00:00:00Z";
        fixture.Secret.Data["expiresAt"] = "not-a-time"u8.ToArray();

        var plan = fixture.Step();

        Assert.Equal(Reasons.KeyAdopted, plan.Events[0].Reason);
        Assert.Equal(PlannerFixture.Start.UtcDateTime, fixture.CurrentKey.CreatedAt);
        Assert.False(fixture.Plan().HasWrites && fixture.Plan().PendingStatus is not null);
    }

    [Fact]
    public void A_valid_key_of_another_apikey_copied_into_the_secret_is_a_mismatch()
    {
        var fixture = new PlannerFixture();
        fixture.Step();
        var foreign = new KeyGenerator().Generate(CredentialFormat.Token, "ak_");
        fixture.Secret!.Data["apiKey"] = Encoding.UTF8.GetBytes(foreign.ApiKey!);
        fixture.Secret.Data["keyId"] = Encoding.UTF8.GetBytes(fixture.CurrentKey.Id); // id kept, value swapped

        var plan = fixture.Step();

        Assert.Equal(Reasons.SecretLost, plan.Events.Single().Reason);
        Assert.NotEqual(foreign.ApiKey, fixture.SecretText("apiKey"));
    }

    [Fact]
    public void Own_secret_with_unreadable_data_and_no_status_gets_a_key_with_a_warning()
    {
        var fixture = new PlannerFixture();
        fixture.Secret = new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "billing-exporter-key", NamespaceProperty = "payments", ResourceVersion = "7", OwnerReferences = [ApiKeySecret.OwnerReference(fixture.ApiKey)] },
            Data = new Dictionary<string, byte[]> { ["apiKey"] = "not-a-key"u8.ToArray() },
        };

        var plan = fixture.Step();

        Assert.Equal(SecretWriteKind.Replace, plan.SecretWriteKind);
        Assert.Equal("7", plan.SecretWrite!.Metadata.ResourceVersion);
        Assert.Equal(Reasons.SecretMismatch, plan.Events.Single().Reason);
        Assert.True(plan.Events.Single().Warning);
    }

    [Theory]
    [InlineData("label-removed")]
    [InlineData("annotation-changed")]
    [InlineData("template-added")]
    [InlineData("expiresAt-data-changed")]
    public void Metadata_drift_is_repaired_without_changing_the_key(string drift)
    {
        var fixture = new PlannerFixture();
        fixture.Step();
        var key = fixture.CurrentKey.Id;
        var token = fixture.SecretText("apiKey");
        switch (drift)
        {
            case "label-removed": fixture.Secret!.Metadata.Labels.Remove(WellKnown.ApiKeyLabel); break;
            case "annotation-changed": fixture.Secret!.Metadata.Annotations[WellKnown.KeyIdAnnotation] = "00000000"; break;
            case "template-added": fixture.EditSpec(s => s.SecretTemplate = new SecretTemplate { Labels = new Dictionary<string, string> { ["tier"] = "gold" } }); break;
            case "expiresAt-data-changed": fixture.Secret!.Data["expiresAt"] = "2099-01-01T00:00:00Z"u8.ToArray(); break;
        }

        var plan = fixture.Step();

        Assert.Single(fixture.Issued);
        Assert.NotNull(plan.SecretWrite);
        Assert.Equal(SecretWriteKind.Replace, plan.SecretWriteKind);
        Assert.Equal((key, token), (fixture.CurrentKey.Id, fixture.SecretText("apiKey")));
        Assert.Equal("billing-exporter", fixture.Secret!.Metadata.Labels[WellKnown.ApiKeyLabel]);
        Assert.Equal(key, fixture.Secret.Metadata.Annotations[WellKnown.KeyIdAnnotation]);
        Assert.DoesNotContain(plan.Events, e => e.Warning);
        Assert.False(fixture.Plan().HasWrites);
    }

    [Fact]
    public void Extra_labels_annotations_and_data_on_the_secret_are_left_alone()
    {
        var fixture = new PlannerFixture();
        fixture.Step();
        fixture.Secret!.Metadata.Labels["added-by"] = "someone";
        fixture.Secret.Data["extra"] = "x"u8.ToArray();

        Assert.False(fixture.Plan().HasWrites);
    }
}
