using ApiKeyOperator.Api;
using ApiKeyOperator.IntegrationTests.Harness;
using ApiKeyOperator.IntegrationTests.Operator;
using ApiKeyOperator.Keys;
using k8s.Models;
using Xunit;

namespace ApiKeyOperator.IntegrationTests.ApiKeys;

/// <summary>The operator dies between writing the Secret and writing status: the next one adopts the key.</summary>
public sealed class CrashSafetyTests(ClusterFixture cluster) : ApiKeyTest(cluster)
{
    [Fact]
    public async Task Operator_killed_between_secret_and_status_write_is_followed_by_one_that_adopts_the_key()
    {
        var sim = Sim;
        var fault = new FinalStatusFault();
        var first = await StartOperatorAsync(configure: fault.Install);
        await CreateApiKeyAsync("fragile");
        var secret = await Eventually.GetAsync(async _ => await SecretAsync("fragile-key"), Timeout, "Secret written before status", Ct);
        await Eventually.WaitAsync(_ => Task.FromResult(fault.Refused > 0), Timeout, "a refused final status write", Ct);
        await first.KillAsync();
        var pending = (await Resources<ApiKey>().GetAsync(Key("fragile"), Ct))!.Status;
        Assert.Null(pending?.CurrentKeyId);
        Assert.Equal(Text(secret, SecretDataKeys.KeyId), pending!.PendingKey!.Id);

        await StartOperatorAsync();
        var adopted = await WaitForReadyAsync("fragile");

        var token = Text(secret, SecretDataKeys.ApiKey);
        var current = (await SecretAsync("fragile-key"))!;
        Assert.Equal(token, Text(current, SecretDataKeys.ApiKey));
        Assert.Equal(Text(secret, SecretDataKeys.KeyId), adopted.Status.CurrentKeyId);
        var record = Assert.Single(adopted.Status.Keys!);
        Assert.Equal(KeyHash.Compute(token), record.Hash);
        Assert.Null(adopted.Status.PendingKey);
        Assert.Equal(Reasons.KeyAdopted, Conditions.Find(adopted.Status.Conditions, ConditionTypes.Ready)!.Reason);
        await WaitForEventAsync("fragile", Reasons.KeyAdopted);

        // Exactly one key ever issued: one Secret create, never a rewrite of its data.
        Assert.Equal(1, sim.Requests.Count(verb: "create", resource: "secrets", ns: Namespace));
        Assert.Equal(0, sim.Requests.Count(verb: "update", resource: "secrets", ns: Namespace));
        Assert.Equal(0, sim.Requests.Count(verb: "patch", resource: "secrets", ns: Namespace));
        Assert.DoesNotContain(await EventsAsync(), e => e.Reason == Reasons.Issued);
    }

    [Fact]
    public async Task Operator_killed_while_restoring_a_deleted_secret_is_followed_by_one_that_adopts_the_replacement()
    {
        var sim = Sim;
        var fault = new FinalStatusFault { Armed = false };
        var first = await StartOperatorAsync(configure: fault.Install);
        await CreateApiKeyAsync("restoring");
        var ready = await WaitForReadyAsync("restoring");
        var lostId = ready.Status.CurrentKeyId!;
        fault.Armed = true;

        await Resources<V1Secret>().DeleteAsync(Key("restoring-key"), Ct);
        var replacement = await Eventually.GetAsync(
            async _ => await SecretAsync("restoring-key") is { } s && Text(s, SecretDataKeys.KeyId) != lostId ? s : null, Timeout, "replacement Secret written", Ct);
        await Eventually.WaitAsync(_ => Task.FromResult(fault.Refused > 0), Timeout, "a refused final status write", Ct);
        await first.KillAsync();

        await StartOperatorAsync();
        var newId = Text(replacement, SecretDataKeys.KeyId);
        var adopted = await WaitForAsync<ApiKey>(
            "restoring", k => k.Status?.CurrentKeyId == newId && Conditions.IsTrue(k.Status.Conditions, ConditionTypes.Ready), "the replacement adopted");

        // The lost key is not revoked: it retires while a restore rotation rolls the dependents (none here) and its grace runs.
        Assert.Equal(2, adopted.Status.Keys!.Count);
        Assert.Equal(KeyStates.Retiring, adopted.Status.Keys!.Single(k => k.Id == lostId).State);
        Assert.Equal(KeyHash.Compute(Text(replacement, SecretDataKeys.ApiKey)), adopted.Status.Keys!.Single(k => k.Id == newId).Hash);
        Assert.Equal(Text(replacement, SecretDataKeys.ApiKey), Text((await SecretAsync("restoring-key"))!, SecretDataKeys.ApiKey));
        Assert.Equal(2, sim.Requests.Count(verb: "create", resource: "secrets", ns: Namespace));
        Assert.Equal(0, sim.Requests.Count(verb: "update", resource: "secrets", ns: Namespace));
    }
}
