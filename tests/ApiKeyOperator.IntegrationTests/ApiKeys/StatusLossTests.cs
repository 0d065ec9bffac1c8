using ApiKeyOperator.Api;
using ApiKeyOperator.IntegrationTests.Harness;
using ApiKeyOperator.Keys;
using Xunit;

namespace ApiKeyOperator.IntegrationTests.ApiKeys;

/// <summary>An ApiKey whose status is lost (restored from Git, say) gets it back from its Secret, with no new key.</summary>
public sealed class StatusLossTests(ClusterFixture cluster) : ApiKeyTest(cluster)
{
    [Fact]
    public async Task Lost_status_is_rebuilt_from_the_secret_without_issuing()
    {
        await StartOperatorAsync();
        await CreateApiKeyAsync("restored", s => s.Scopes = ["read"]);
        var ready = await WaitForReadyAsync("restored");
        var secret = (await SecretAsync("restored-key"))!;

        var wiped = (await Resources<ApiKey>().GetAsync(Key("restored"), Ct))!;
        wiped.Status = new ApiKeyStatus();
        await Resources<ApiKey>().ReplaceStatusAsync(wiped, Ct);

        var rebuilt = await WaitForAsync<ApiKey>(
            "restored", k => k.Status?.CurrentKeyId is not null && Conditions.Find(k.Status.Conditions, ConditionTypes.Ready)?.Reason == Reasons.KeyAdopted, "status rebuilt by adoption");
        Assert.Equal(ready.Status.CurrentKeyId, rebuilt.Status.CurrentKeyId);
        var record = Assert.Single(rebuilt.Status.Keys!);
        Assert.Equal(KeyStates.Active, record.State);
        Assert.Equal(KeyHash.Compute(Text(secret, SecretDataKeys.ApiKey)), record.Hash);
        Assert.Equal(ready.Status.ExpiresAt, rebuilt.Status.ExpiresAt);
        Assert.Equal(["read"], record.Scopes);
        Assert.True(Conditions.IsTrue(rebuilt.Status.Conditions, ConditionTypes.Ready));
        Assert.Equal(secret.Metadata.ResourceVersion, (await SecretAsync("restored-key"))!.Metadata.ResourceVersion);
        await WaitForEventAsync("restored", Reasons.KeyAdopted);
    }
}
