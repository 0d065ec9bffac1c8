using ApiKeyOperator.Api;
using ApiKeyOperator.Controllers.ApiKeys;
using k8s.Models;
using Xunit;
using static ApiKeyOperator.Tests.Controllers.ApiKeyPlannerIssueTests;

namespace ApiKeyOperator.Tests.Controllers;

public sealed class ApiKeyPlannerStalledTests
{
    public static TheoryData<string, string> InvalidSpecs => new()
    {
        { "expiresAt-past", "spec.expiresAt 2026-11-23T13:00:00Z is in the past" },
        { "validity-short", "spec.validity \"30s\" is shorter than the minimum of 1m0s" },
        { "validity-unparsable", "spec.validity: invalid duration \"a year\"" },
        { "secretName-invalid", "spec.secretName \"Billing_Key\" is not a valid Secret name" },
        { "secretName-missing", "spec.secretName is required" },
        { "prefix-invalid", "spec.prefix \"AK-\"" },
        { "format-unknown", "spec.format \"Jwt\" is not one of Token, ClientCredentials" },
        { "timeout-unparsable", "spec.rollout.timeout: invalid duration \"soon\"" },
        { "every-negative", "spec.rotation.every \"-1h\" is negative" },
        { "validity-null", "spec.validity is required" },
        { "prefix-null", "spec.prefix \"\" must be" },
    };

    [Theory]
    [MemberData(nameof(InvalidSpecs))]
    public void Invalid_spec_stalls_naming_the_field_and_issues_nothing(string @case, string expected)
    {
        var fixture = new PlannerFixture(s => Break(s, @case));

        var plan = fixture.Plan();

        Assert.Empty(fixture.Issued);
        Assert.Null(plan.SecretWrite);
        Assert.Null(plan.SecretToDelete);
        AssertCondition(plan.Status, ConditionTypes.Stalled, "True", Reasons.InvalidSpec);
        AssertCondition(plan.Status, ConditionTypes.Ready, "False", Reasons.InvalidSpec);
        Assert.Contains(expected, Conditions.Find(plan.Status.Conditions, ConditionTypes.Stalled)!.Message);
        var warning = Assert.Single(plan.Events);
        Assert.Equal((true, Reasons.InvalidSpec), (warning.Warning, warning.Reason));
        Assert.Equal(1, plan.Status.ObservedGeneration);
    }

    [Fact]
    public void Invalid_spec_change_keeps_the_current_key_and_secret()
    {
        var fixture = new PlannerFixture();
        fixture.Step();
        var key = fixture.CurrentKey;
        fixture.EditSpec(s => s.Validity = "10s");

        var plan = fixture.Step();

        Assert.Null(plan.SecretWrite);
        Assert.Single(fixture.Issued);
        Assert.Equal((key.Id, KeyStates.Active, key.ExpiresAt), (fixture.CurrentKey.Id, fixture.CurrentKey.State, fixture.CurrentKey.ExpiresAt));
        Assert.Equal(2, fixture.ApiKey.Status.ObservedGeneration);
        Assert.Contains($"Key {key.Id} stays valid", Conditions.Find(fixture.ApiKey.Status.Conditions, ConditionTypes.Ready)!.Message);
    }

    [Fact]
    public void Validity_that_would_put_the_current_expiry_in_the_past_is_invalid()
    {
        var fixture = new PlannerFixture();
        fixture.Step();
        fixture.Clock.Advance(TimeSpan.FromHours(3));
        fixture.EditSpec(s => s.Validity = "2h");

        var plan = fixture.Plan();

        Assert.Contains("would move the expiry of key", Conditions.Find(plan.Status.Conditions, ConditionTypes.Stalled)!.Message);
        Assert.Null(plan.SecretWrite);
    }

    [Fact]
    public void A_stalled_apikey_reconciled_again_writes_nothing()
    {
        var fixture = new PlannerFixture(s => s.Validity = "30s");
        fixture.Step();
        fixture.Clock.Advance(TimeSpan.FromMinutes(10));

        var plan = fixture.Plan();

        Assert.False(plan.HasWrites);
        Assert.Empty(plan.Events);
    }

    [Fact]
    public void Fixing_the_spec_issues_the_key_and_clears_stalled()
    {
        var fixture = new PlannerFixture(s => s.Validity = "30s");
        fixture.Step();
        fixture.EditSpec(s => s.Validity = "720h");

        fixture.Step();

        Assert.Single(fixture.Issued);
        AssertCondition(fixture.ApiKey.Status, ConditionTypes.Stalled, "False", Reasons.Reconciled);
        AssertCondition(fixture.ApiKey.Status, ConditionTypes.Ready, "True", Reasons.Issued);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("someone-else")]
    public void Secret_not_controlled_by_this_apikey_is_a_conflict_and_left_untouched(string? ownerUid)
    {
        var fixture = new PlannerFixture();
        fixture.Secret = new V1Secret
        {
            Metadata = new V1ObjectMeta
            {
                Name = "billing-exporter-key",
                NamespaceProperty = "payments",
                OwnerReferences = ownerUid is null ? null : [new V1OwnerReference { Uid = ownerUid, Controller = true, Kind = "ApiKey", Name = "other", ApiVersion = ApiGroup.ApiVersion }],
            },
            Data = new Dictionary<string, byte[]> { ["password"] = "hunter2"u8.ToArray() },
        };

        var plan = fixture.Plan();

        Assert.Empty(fixture.Issued);
        Assert.Null(plan.SecretWrite);
        Assert.Null(plan.SecretToDelete);
        AssertCondition(plan.Status, ConditionTypes.Stalled, "True", Reasons.SecretConflict);
        AssertCondition(plan.Status, ConditionTypes.Ready, "False", Reasons.SecretConflict);
        Assert.Contains("Secret billing-exporter-key exists and is not controlled by this ApiKey", plan.Events.Single().Message);
    }

    private static void Break(ApiKeySpec spec, string @case)
    {
        switch (@case)
        {
            case "expiresAt-past": spec.ExpiresAt = PlannerFixture.Start.UtcDateTime.AddHours(-1); break;
            case "validity-short": spec.Validity = "30s"; break;
            case "validity-unparsable": spec.Validity = "a year"; break;
            case "secretName-invalid": spec.SecretName = "Billing_Key"; break;
            case "secretName-missing": spec.SecretName = ""; break;
            case "prefix-invalid": spec.Prefix = "AK-"; break;
            case "format-unknown": spec.Format = "Jwt"; break;
            case "timeout-unparsable": spec.Rollout.Timeout = "soon"; break;
            case "every-negative": spec.Rotation.Every = "-1h"; break;
            case "validity-null": spec.Validity = null!; break;
            case "prefix-null": spec.Prefix = null!; spec.Rotation = null!; spec.Rollout = null!; break;
            default: throw new ArgumentOutOfRangeException(nameof(@case), @case, null);
        }
    }
}
