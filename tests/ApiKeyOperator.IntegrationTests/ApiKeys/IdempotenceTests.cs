using ApiKeyOperator.Api;
using ApiKeyOperator.IntegrationTests.Harness;
using ApiKeyOperator.IntegrationTests.Operator;
using k8s.Models;
using Xunit;

namespace ApiKeyOperator.IntegrationTests.ApiKeys;

/// <summary>Reconciling ApiKeys that are already as they should be costs no API write.</summary>
public sealed class IdempotenceTests(ClusterFixture cluster) : ApiKeyTest(cluster)
{
    [Fact]
    public async Task Restarted_operator_makes_zero_writes_for_ready_api_keys_across_resyncs()
    {
        var sim = Sim;
        var first = await StartOperatorAsync();
        await CreateApiKeyAsync("plain");
        await CreateApiKeyAsync("client", s => s.Format = KeyFormats.ClientCredentials);
        await CreateApiKeyAsync("templated", s =>
        {
            s.Scopes = ["a", "b"];
            s.SecretTemplate = new SecretTemplate
            {
                Labels = new Dictionary<string, string> { ["team"] = "x" },
                Annotations = new Dictionary<string, string> { ["note"] = "y" },
            };
        });
        foreach (var name in new[] { "plain", "client", "templated" })
        {
            await WaitForReadyAsync(name);
        }

        await WaitForIdleAsync(first, reconciles: 3);
        await first.StopAsync();
        var before = WritesInNamespace().Count;

        // A short sync period makes the new operator reconcile everything at least twice: the cold start and a resync.
        var second = await StartOperatorAsync(OperatorArgs("--sync-period", "1s"));
        await WaitForIdleAsync(second, reconciles: 6);

        var writes = WritesInNamespace().Skip(before).Select(r => $"{r.Verb} {r.Resource}/{r.Subresource} {r.Name}").ToList();
        Assert.True(writes.Count == 0, "writes after restart: " + string.Join(", ", writes));
        Assert.True(sim.Requests.Count(resource: "apikeys", ns: Namespace) > 0);
    }

    [Fact]
    public async Task Restarted_operator_makes_zero_writes_for_stalled_expired_and_moved_api_keys()
    {
        var first = await StartOperatorAsync();
        await Resources<V1Secret>().CreateAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "taken", NamespaceProperty = Namespace },
            StringData = new Dictionary<string, string> { ["x"] = "y" },
        }, Ct);
        await CreateApiKeyAsync("conflicted", s => s.SecretName = "taken");
        await CreateApiKeyAsync("invalid", s => s.Validity = "30s");
        var now = DateTime.UtcNow;
        await CreateApiKeyAsync("expiring", s => s.ExpiresAt = new DateTime(now.Year, now.Month, now.Day, now.Hour, now.Minute, now.Second, DateTimeKind.Utc).AddSeconds(3));
        await CreateApiKeyAsync("moving");
        await WaitForReadyAsync("moving");
        await PatchSpecAsync("moving", new { secretName = "moved-key" });
        await WaitForConditionAsync("conflicted", ConditionTypes.Stalled, ConditionStatuses.True, Reasons.SecretConflict);
        await WaitForConditionAsync("invalid", ConditionTypes.Stalled, ConditionStatuses.True, Reasons.InvalidSpec);
        await WaitForConditionAsync("expiring", ConditionTypes.Ready, ConditionStatuses.False, Reasons.Expired);
        await WaitForAsync<ApiKey>("moving", k => k.Status?.SecretName == "moved-key", "moved");
        await Eventually.WaitAsync(async _ => await SecretAsync("moving-key") is null, Timeout, "old Secret of the move deleted", Ct);
        await WaitForIdleAsync(first, reconciles: 4);
        await first.StopAsync();
        var before = WritesInNamespace().Count;

        var second = await StartOperatorAsync(OperatorArgs("--sync-period", "1s"));
        await WaitForIdleAsync(second, reconciles: 8);

        var writes = WritesInNamespace().Skip(before).Select(r => $"{r.Verb} {r.Resource}/{r.Subresource} {r.Name}").ToList();
        Assert.True(writes.Count == 0, "writes after restart: " + string.Join(", ", writes));
    }
}
