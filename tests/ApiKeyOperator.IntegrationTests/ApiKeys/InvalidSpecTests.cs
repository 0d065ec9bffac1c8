using ApiKeyOperator.Api;
using ApiKeyOperator.Controllers.ApiKeys;
using ApiKeyOperator.IntegrationTests.Harness;
using Xunit;

namespace ApiKeyOperator.IntegrationTests.ApiKeys;

/// <summary>Specs the CRD schema accepts but no key can be issued for.</summary>
public sealed class InvalidSpecTests(ClusterFixture cluster) : ApiKeyTest(cluster)
{
    [Theory]
    [InlineData("expiresAt", "spec.expiresAt")]
    [InlineData("validity", "spec.validity")]
    public async Task Unusable_spec_stalls_with_invalid_spec_naming_the_field_and_issues_nothing(string field, string named)
    {
        await StartOperatorAsync();
        await CreateApiKeyAsync("broken", s =>
        {
            if (field == "expiresAt")
            {
                s.ExpiresAt = DateTime.UtcNow.AddHours(-1);
            }
            else
            {
                s.Validity = "30s";
            }
        });

        var stalled = await WaitForConditionAsync("broken", ConditionTypes.Stalled, ConditionStatuses.True, Reasons.InvalidSpec);

        Assert.Contains(named, Conditions.Find(stalled.Status.Conditions, ConditionTypes.Stalled)!.Message, StringComparison.Ordinal);
        Assert.Equal(ConditionStatuses.False, Conditions.Find(stalled.Status.Conditions, ConditionTypes.Ready)!.Status);
        Assert.Null(stalled.Status.CurrentKeyId);
        Assert.Empty(stalled.Status.Keys ?? []);
        Assert.Null(await SecretAsync("broken-key"));
        var warning = await WaitForEventAsync("broken", Reasons.InvalidSpec, "Warning");
        Assert.Contains(named, warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_change_of_a_ready_key_stalls_and_keeps_the_key_and_secret()
    {
        await StartOperatorAsync();
        await CreateApiKeyAsync("steady");
        var ready = await WaitForReadyAsync("steady");
        var secret = (await SecretAsync("steady-key"))!;

        await PatchSpecAsync("steady", new { validity = "30s" });

        var stalled = await WaitForConditionAsync("steady", ConditionTypes.Stalled, ConditionStatuses.True, Reasons.InvalidSpec);
        Assert.Contains("spec.validity", Conditions.Find(stalled.Status.Conditions, ConditionTypes.Stalled)!.Message, StringComparison.Ordinal);
        Assert.Equal(ready.Status.CurrentKeyId, stalled.Status.CurrentKeyId);
        var record = Assert.Single(stalled.Status.Keys!);
        Assert.Equal(KeyStates.Active, record.State);
        Assert.Equal(ready.Status.ExpiresAt, stalled.Status.ExpiresAt);
        Assert.Equal(secret.Metadata.ResourceVersion, (await SecretAsync("steady-key"))!.Metadata.ResourceVersion);
        Assert.Equal(ApiKeySecret.FormatTime(ready.Status.ExpiresAt!.Value), Text(secret, SecretDataKeys.ExpiresAt));
    }
}
