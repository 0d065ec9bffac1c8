using ApiKeyOperator.Api;
using ApiKeyOperator.IntegrationTests.Harness;
using ApiKeyOperator.IntegrationTests.Operator;
using ApiKeyOperator.Keys;
using Xunit;

namespace ApiKeyOperator.IntegrationTests.ApiKeys;

/// <summary>The operator dies between writing the Secret and writing status: the next one adopts the key.</summary>
[Collection(FaultInjectionCollection.Name)]
public sealed class CrashSafetyTests(ClusterFixture cluster) : ApiKeyTest(cluster)
{
    [Fact]
    public async Task Operator_killed_between_secret_and_status_write_is_followed_by_one_that_adopts_the_key()
    {
        var sim = Sim;
        sim.Faults.FailNextWrites("apikeys/status", 10_000);
        try
        {
            var first = await StartOperatorAsync();
            await CreateApiKeyAsync("fragile");
            var secret = await Eventually.GetAsync(async _ => await SecretAsync("fragile-key"), Timeout, "Secret written before status", Ct);
            await Eventually.WaitAsync(
                _ => Task.FromResult(sim.Requests.Count(resource: "apikeys/status", ns: Namespace, statusCode: 500) > 0),
                Timeout,
                "a failed status write",
                Ct);
            await first.KillAsync();
            Assert.Null((await Resources<ApiKey>().GetAsync(Key("fragile"), Ct))!.Status?.CurrentKeyId);
            sim.Faults.Reset();

            await StartOperatorAsync();
            var adopted = await WaitForReadyAsync("fragile");

            var token = Text(secret, SecretDataKeys.ApiKey);
            var current = (await SecretAsync("fragile-key"))!;
            Assert.Equal(token, Text(current, SecretDataKeys.ApiKey));
            Assert.Equal(Text(secret, SecretDataKeys.KeyId), adopted.Status.CurrentKeyId);
            var record = Assert.Single(adopted.Status.Keys!);
            Assert.Equal(KeyHash.Compute(token), record.Hash);
            Assert.Equal(Reasons.KeyAdopted, Conditions.Find(adopted.Status.Conditions, ConditionTypes.Ready)!.Reason);
            await WaitForEventAsync("fragile", Reasons.KeyAdopted);

            // Exactly one key ever issued: one Secret create, never a rewrite of its data.
            Assert.Equal(1, sim.Requests.Count(verb: "create", resource: "secrets", ns: Namespace));
            Assert.Equal(0, sim.Requests.Count(verb: "update", resource: "secrets", ns: Namespace));
            Assert.Equal(0, sim.Requests.Count(verb: "patch", resource: "secrets", ns: Namespace));
            Assert.DoesNotContain(await EventsAsync(), e => e.Reason == Reasons.Issued);
        }
        finally
        {
            sim.Faults.Reset();
        }
    }
}
