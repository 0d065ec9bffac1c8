using System.Text;
using ApiKeyOperator.Api;
using ApiKeyOperator.IntegrationTests.Harness;
using ApiKeyOperator.IntegrationTests.Operator;
using ApiKeyOperator.Keys;
using k8s.Models;
using Xunit;

namespace ApiKeyOperator.IntegrationTests.ApiKeys;

public sealed class IssuanceTests(ClusterFixture cluster) : OperatorTest(cluster)
{
    [Fact]
    public async Task New_api_key_becomes_a_secret_with_the_design_layout_and_ready_status()
    {
        await StartOperatorAsync();
        await CreateApiKeyAsync("billing", s =>
        {
            s.Prefix = "bill_live_";
            s.Scopes = ["invoices:read"];
            s.SecretTemplate = new SecretTemplate { Labels = new Dictionary<string, string> { ["team"] = "payments" } };
        });

        var apiKey = await WaitForReadyAsync("billing");
        var secret = await Resources<V1Secret>().GetAsync(Key("billing-key"), Ct);

        Assert.NotNull(secret);
        var token = Encoding.UTF8.GetString(secret.Data["apiKey"]);
        Assert.True(TokenFormat.TryParse(token, out var parsed));
        Assert.Equal("bill_live_", parsed.Prefix);
        Assert.Equal(apiKey.Status.CurrentKeyId, parsed.KeyId);
        Assert.Equal(apiKey.Status.CurrentKeyId, Encoding.UTF8.GetString(secret.Data["keyId"]));
        Assert.Equal(apiKey.Status.CurrentKeyId, secret.Metadata.Annotations[WellKnown.KeyIdAnnotation]);
        Assert.Equal("billing", secret.Metadata.Labels[WellKnown.ApiKeyLabel]);
        Assert.Equal("payments", secret.Metadata.Labels["team"]);
        Assert.Equal("Opaque", secret.Type);
        var owner = Assert.Single(secret.Metadata.OwnerReferences);
        Assert.True(owner.Controller);
        Assert.Equal(apiKey.Metadata.Uid, owner.Uid);

        var record = Assert.Single(apiKey.Status.Keys!);
        Assert.Equal(KeyStates.Active, record.State);
        Assert.Equal(KeyHash.Compute(token), record.Hash);
        Assert.Equal(["invoices:read"], record.Scopes);
        Assert.Equal(apiKey.Metadata.Generation, apiKey.Status.ObservedGeneration);
        Assert.Contains(WellKnown.Finalizer, apiKey.Metadata.Finalizers!);
        Assert.Contains(await EventsAsync(), e => e.Reason == Reasons.Issued && e.InvolvedObject.Name == "billing");
        Assert.DoesNotContain(token, Logs.Text, StringComparison.Ordinal);
    }
}
