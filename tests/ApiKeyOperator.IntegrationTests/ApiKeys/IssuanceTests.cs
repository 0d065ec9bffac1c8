using System.Text;
using ApiKeyOperator.Api;
using ApiKeyOperator.Controllers.ApiKeys;
using ApiKeyOperator.IntegrationTests.Harness;
using ApiKeyOperator.IntegrationTests.Operator;
using ApiKeyOperator.Keys;
using k8s.Models;
using Xunit;

namespace ApiKeyOperator.IntegrationTests.ApiKeys;

public sealed class IssuanceTests(ClusterFixture cluster) : ApiKeyTest(cluster)
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
        await WaitForEventsAsync(events => events.Any(e => e.Reason == Reasons.Issued && e.InvolvedObject.Name == "billing"), "Issued on billing");
        Assert.DoesNotContain(token, Logs.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Client_credentials_key_becomes_a_secret_with_client_id_and_secret()
    {
        await StartOperatorAsync();
        await CreateApiKeyAsync("partner", s =>
        {
            s.Format = KeyFormats.ClientCredentials;
            s.Prefix = "partner_";
            s.Validity = "720h";
        });

        var apiKey = await WaitForReadyAsync("partner");
        var secret = await SecretAsync("partner-key");

        Assert.NotNull(secret);
        Assert.DoesNotContain(SecretDataKeys.ApiKey, secret.Data.Keys);
        var clientId = Text(secret, SecretDataKeys.ClientId);
        var clientSecret = Text(secret, SecretDataKeys.ClientSecret);
        Assert.True(TokenFormat.TryParseClientCredentials(clientId, clientSecret, out var parsed));
        Assert.Equal("partner_", parsed.Prefix);
        Assert.Equal(apiKey.Status.CurrentKeyId, parsed.KeyId);
        Assert.Equal(apiKey.Status.CurrentKeyId, Text(secret, SecretDataKeys.KeyId));

        // The hash in status is of the secret half; the expiry is issue time + validity, in status and in the Secret.
        var record = Assert.Single(apiKey.Status.Keys!);
        Assert.Equal(KeyHash.Compute(clientSecret), record.Hash);
        Assert.Equal(record.CreatedAt!.Value.AddHours(720), record.ExpiresAt);
        Assert.Equal(record.ExpiresAt, apiKey.Status.ExpiresAt);
        Assert.Equal(ApiKeySecret.FormatTime(record.ExpiresAt!.Value), Text(secret, SecretDataKeys.ExpiresAt));
        Assert.Equal(Reasons.Issued, Conditions.Find(apiKey.Status.Conditions, ConditionTypes.Ready)!.Reason);
        Assert.DoesNotContain(clientSecret, Logs.Text, StringComparison.Ordinal);
    }
}
