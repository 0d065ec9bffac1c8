using ApiKeyOperator.Api;
using ApiKeyOperator.IntegrationTests.Harness;
using Xunit;

namespace ApiKeyOperator.IntegrationTests.ApiKeys;

/// <summary>
/// An ApiKey whose status is lost (restored from Git without status, say): nothing persisted vouches for the key in
/// the Secret any more, so it is not adopted (a planted key looks the same); a fresh key is issued with a warning.
/// </summary>
public sealed class StatusLossTests(ClusterFixture cluster) : ApiKeyTest(cluster)
{
    [Fact]
    public async Task Lost_status_never_adopts_the_key_in_the_secret()
    {
        await StartOperatorAsync();
        await CreateApiKeyAsync("restored", s => s.Scopes = ["read"]);
        var ready = await WaitForReadyAsync("restored");
        var secret = (await SecretAsync("restored-key"))!;

        var wiped = (await Resources<ApiKey>().GetAsync(Key("restored"), Ct))!;
        wiped.Status = new ApiKeyStatus();
        await Resources<ApiKey>().ReplaceStatusAsync(wiped, Ct);

        var rebuilt = await WaitForAsync<ApiKey>(
            "restored", k => k.Status?.CurrentKeyId is { } id && id != ready.Status.CurrentKeyId && Conditions.IsTrue(k.Status.Conditions, ConditionTypes.Ready), "a fresh key");
        var record = Assert.Single(rebuilt.Status.Keys!);
        Assert.Equal(KeyStates.Active, record.State);
        Assert.Equal(["read"], record.Scopes);
        Assert.NotEqual(Text(secret, SecretDataKeys.ApiKey), Text((await SecretAsync("restored-key"))!, SecretDataKeys.ApiKey));
        await WaitForEventAsync("restored", Reasons.SecretMismatch, "Warning");
    }
}
