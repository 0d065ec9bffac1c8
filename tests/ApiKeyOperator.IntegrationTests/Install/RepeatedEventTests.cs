using System.Text.Json;
using ApiKeyOperator.Api;
using ApiKeyOperator.IntegrationTests.Harness;
using ApiKeyOperator.IntegrationTests.Operator;
using Xunit;

namespace ApiKeyOperator.IntegrationTests.Install;

/// <summary>
/// A Warning that comes back (the same mistake made twice) is one Event with a count of 2, patched, not a second
/// Event: what the `patch` on events in config/rbac is for (the suite's request log must show it used).
/// </summary>
public sealed class RepeatedEventTests(ClusterFixture cluster) : OperatorTest(cluster)
{
    [Fact]
    public async Task The_same_warning_twice_is_one_event_counted_twice()
    {
        await StartOperatorAsync();
        await CreateApiKeyAsync("twice", s => s.Validity = "30s");
        await WaitForStalledAsync();
        await Resources<ApiKey>().PatchAsync(Key("twice"), JsonSerializer.Serialize(new { spec = new { validity = "48h" } }), Ct);
        await WaitForReadyAsync("twice");

        await Resources<ApiKey>().PatchAsync(Key("twice"), JsonSerializer.Serialize(new { spec = new { validity = "30s" } }), Ct);
        await WaitForStalledAsync();

        var warning = await Eventually.GetAsync(
            async _ => (await EventsAsync()).SingleOrDefault(e => e.InvolvedObject.Name == "twice" && e.Reason == Reasons.InvalidSpec && e.Count == 2),
            Timeout, "the InvalidSpec Warning counted twice", Ct);
        Assert.Equal("Warning", warning.Type);
        Assert.Single(await EventsAsync(), e => e.InvolvedObject.Name == "twice" && e.Reason == Reasons.InvalidSpec);
    }

    private Task<ApiKey> WaitForStalledAsync() =>
        WaitForAsync<ApiKey>("twice", k => Conditions.IsTrue(k.Status?.Conditions, ConditionTypes.Stalled)
            && Conditions.Find(k.Status!.Conditions, ConditionTypes.Stalled)!.Reason == Reasons.InvalidSpec
            && k.Metadata.Generation == k.Status.ObservedGeneration, "Stalled InvalidSpec");
}
