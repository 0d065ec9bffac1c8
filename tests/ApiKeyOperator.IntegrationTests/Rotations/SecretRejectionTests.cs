using ApiKeyOperator.Api;
using ApiKeyOperator.IntegrationTests.Harness;
using Xunit;

namespace ApiKeyOperator.IntegrationTests.Rotations;

/// <summary>Any 4xx the API server returns for the Secret write stalls the ApiKey with the server's message (issue 11).</summary>
public sealed class SecretRejectionTests(PrivateSimFixture cluster) : RotationTest(cluster), IClassFixture<PrivateSimFixture>
{
    public override async ValueTask DisposeAsync()
    {
        Sim.Faults.Reset();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task A_secret_the_server_refuses_stalls_the_api_key_with_the_servers_message_and_no_retry_storm()
    {
        Sim.Faults.FailNextWrites("secrets", 1, statusCode: 422);
        await StartOperatorAsync();
        await CreateApiKeyAsync(ApiKeyName, s => s.SecretName = SecretName);

        var stalled = await WaitForAsync<ApiKey>(ApiKeyName, k => Conditions.Find(k.Status?.Conditions, ConditionTypes.Stalled)?.Reason == Reasons.SecretRejected, "Stalled SecretRejected");

        var condition = Conditions.Find(stalled.Status.Conditions, ConditionTypes.Stalled)!;
        Assert.Equal(ConditionStatuses.True, condition.Status);
        Assert.Contains("HTTP 422", condition.Message, StringComparison.Ordinal);
        Assert.Null(await Resources<k8s.Models.V1Secret>().GetAsync(Key(SecretName), Ct));
        await Task.Delay(TimeSpan.FromSeconds(1), Ct);
        Assert.Equal(1, Sim.Requests.Count(verb: "create", resource: "secrets", ns: Namespace));

        // A spec change is the cue to try again.
        await Resources<ApiKey>().PatchAsync(Key(ApiKeyName), """{"spec":{"scopes":["read"]}}""", Ct);
        await WaitForReadyAsync(ApiKeyName);
    }
}
