using ApiKeyOperator.Api;
using ApiKeyOperator.Controllers.ApiKeys;
using ApiKeyOperator.Keys;
using k8s;
using Xunit;

namespace ApiKeyOperator.Tests.Controllers;

public sealed class ApiKeyPlannerIssueTests
{
    [Fact]
    public void New_apikey_without_secret_issues_a_key_into_a_new_secret_with_the_design_layout()
    {
        var fixture = new PlannerFixture(s => s.SecretTemplate = new SecretTemplate
        {
            Labels = new Dictionary<string, string> { ["team"] = "billing" },
            Annotations = new Dictionary<string, string> { ["note"] = "demo" },
        });

        var plan = fixture.Plan();

        var credential = Assert.Single(fixture.Issued);
        var secret = plan.SecretWrite!;
        Assert.Equal(SecretWriteKind.Create, plan.SecretWriteKind);
        Assert.Equal(("v1", "Secret", "Opaque"), (secret.ApiVersion, secret.Kind, secret.Type));
        Assert.Equal(("billing-exporter-key", "payments"), (secret.Metadata.Name, secret.Metadata.NamespaceProperty));
        var owner = Assert.Single(secret.Metadata.OwnerReferences);
        Assert.Equal(("apikeyoperator.io/v1alpha1", "ApiKey", "billing-exporter", "uid-1", true, true),
            (owner.ApiVersion, owner.Kind, owner.Name, owner.Uid, owner.Controller, owner.BlockOwnerDeletion));
        Assert.Equal("billing-exporter", secret.Metadata.Labels[WellKnown.ApiKeyLabel]);
        Assert.Equal("billing", secret.Metadata.Labels["team"]);
        Assert.Equal(credential.KeyId, secret.Metadata.Annotations[WellKnown.KeyIdAnnotation]);
        Assert.Equal("demo", secret.Metadata.Annotations["note"]);
        Assert.Equal(["apiKey", "expiresAt", "keyId"], secret.Data.Keys.Order());

        fixture.Apply(plan);
        Assert.Equal(credential.ApiKey, fixture.SecretText("apiKey"));
        Assert.Equal(credential.KeyId, fixture.SecretText("keyId"));
        Assert.Equal("2027-11-23T14:00:00Z", fixture.SecretText("expiresAt"));
    }

    [Fact]
    public void Issued_key_is_recorded_in_status_by_id_and_hash()
    {
        var fixture = new PlannerFixture();

        var plan = fixture.Step();

        var credential = Assert.Single(fixture.Issued);
        var status = fixture.ApiKey.Status;
        Assert.Equal(credential.KeyId, status.CurrentKeyId);
        Assert.Equal("billing-exporter-key", status.SecretName);
        Assert.Equal(1, status.ObservedGeneration);
        Assert.Equal(PlannerFixture.Start.UtcDateTime.AddHours(8760), status.ExpiresAt);
        var key = Assert.Single(status.Keys!);
        Assert.Equal((KeyStates.Active, KeyHash.Compute(credential.ApiKey!), PlannerFixture.Start.UtcDateTime), (key.State, key.Hash, key.CreatedAt));
        Assert.Equal(["recordings:read"], key.Scopes);
        AssertCondition(status, ConditionTypes.Ready, "True", Reasons.Issued);
        AssertCondition(status, ConditionTypes.Stalled, "False", Reasons.Reconciled);
        AssertCondition(status, ConditionTypes.Reconciling, "False", Reasons.Reconciled);
        Assert.All(status.Conditions!, c => Assert.Equal(1, c.ObservedGeneration));
        var issued = Assert.Single(plan.Events);
        Assert.Equal((false, Reasons.Issued), (issued.Warning, issued.Reason));
        Assert.Equal(credential.KeyId, plan.IssuedKeyId);
        Assert.Equal(status.ExpiresAt, plan.NextDeadline);
    }

    [Fact]
    public void Client_credentials_layout_and_hash_of_the_client_secret()
    {
        var fixture = new PlannerFixture(s => { s.Format = KeyFormats.ClientCredentials; s.Prefix = "svc_"; });

        fixture.Step();

        var credential = Assert.Single(fixture.Issued);
        Assert.Equal(["clientId", "clientSecret", "expiresAt", "keyId"], fixture.Secret!.Data.Keys.Order());
        Assert.Equal("svc_" + credential.KeyId, fixture.SecretText("clientId"));
        Assert.Equal(credential.ClientSecret, fixture.SecretText("clientSecret"));
        Assert.Equal(KeyHash.Compute(credential.ClientSecret!), fixture.CurrentKey.Hash);
    }

    [Fact]
    public void Absolute_expiry_wins_over_validity()
    {
        var expiresAt = new DateTime(2027, 6, 30, 0, 0, 0, DateTimeKind.Utc);
        var fixture = new PlannerFixture(s => s.ExpiresAt = expiresAt);

        var plan = fixture.Step();

        Assert.Equal(expiresAt, fixture.CurrentKey.ExpiresAt);
        Assert.Equal("2027-06-30T00:00:00Z", fixture.SecretText("expiresAt"));
        Assert.Equal(expiresAt, plan.NextDeadline);
    }

    [Fact]
    public void Unchanged_apikey_plans_no_writes_and_no_events()
    {
        var fixture = new PlannerFixture();
        fixture.Step();
        fixture.Clock.Advance(TimeSpan.FromHours(5));

        var plan = fixture.Plan();

        Assert.False(plan.HasWrites);
        Assert.Null(plan.SecretWrite);
        Assert.Empty(plan.Events);
        Assert.Single(fixture.Issued);
        Assert.Equal(fixture.CurrentKey.ExpiresAt, plan.NextDeadline);
    }

    [Fact]
    public void Planning_does_not_mutate_the_observed_objects()
    {
        var fixture = new PlannerFixture();
        fixture.Step();
        fixture.EditSpec(s => s.Validity = "720h");
        var before = KubernetesJson.Serialize(fixture.ApiKey) + KubernetesJson.Serialize(fixture.Secret);

        fixture.Plan();

        Assert.Equal(before, KubernetesJson.Serialize(fixture.ApiKey) + KubernetesJson.Serialize(fixture.Secret));
    }

    [Fact]
    public void Key_material_appears_only_in_the_secret()
    {
        var fixture = new PlannerFixture();

        var plan = fixture.Step();

        var credential = Assert.Single(fixture.Issued);
        var secretPart = credential.ApiKey![^(TokenFormat.SecretLength + TokenFormat.ChecksumLength)..];
        Assert.DoesNotContain(secretPart, KubernetesJson.Serialize(plan.Status));
        Assert.All(plan.Events, e => Assert.DoesNotContain(secretPart, e.Message));
        Assert.DoesNotContain(secretPart, plan.ToString());
    }

    internal static void AssertCondition(ApiKeyStatus status, string type, string expectedStatus, string reason)
    {
        var condition = Conditions.Find(status.Conditions, type);
        Assert.NotNull(condition);
        Assert.Equal((expectedStatus, reason), (condition.Status, condition.Reason));
    }
}
