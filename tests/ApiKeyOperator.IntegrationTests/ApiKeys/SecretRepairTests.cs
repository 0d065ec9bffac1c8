using System.Text;
using ApiKeyOperator.Api;
using ApiKeyOperator.IntegrationTests.Harness;
using ApiKeyOperator.IntegrationTests.Operator;
using ApiKeyOperator.Keys;
using k8s;
using k8s.Models;
using Xunit;

namespace ApiKeyOperator.IntegrationTests.ApiKeys;

/// <summary>What the operator does when someone else deletes, edits or squats on the Secret, or the Secret is renamed.</summary>
public sealed class SecretRepairTests(ClusterFixture cluster) : ApiKeyTest(cluster)
{
    [Fact]
    public async Task Deleted_secret_is_restored_with_a_new_key_and_the_lost_key_retires_gracefully()
    {
        await StartOperatorAsync();
        await CreateApiKeyAsync("orders");
        var first = await WaitForReadyAsync("orders");
        var lostId = first.Status.CurrentKeyId!;

        await Resources<V1Secret>().DeleteAsync(Key("orders-key"), Ct);

        var restored = await WaitForAsync<ApiKey>("orders", k => k.Status?.CurrentKeyId is { } id && id != lostId && Conditions.IsTrue(k.Status.Conditions, ConditionTypes.Ready), "a new current key");
        var secret = await Eventually.GetAsync(async _ => await SecretAsync("orders-key"), Timeout, "Secret orders-key restored", Ct);
        Assert.Equal(restored.Status.CurrentKeyId, Text(secret, SecretDataKeys.KeyId));
        Assert.Equal(KeyHash.Compute(Text(secret, SecretDataKeys.ApiKey)), restored.Status.Keys!.Single(k => k.Id == restored.Status.CurrentKeyId).Hash);
        // Not revoked: dependents may still run it; a restore rotation rolls them, then revokes it after the grace period.
        Assert.Equal(KeyStates.Retiring, restored.Status.Keys!.Single(k => k.Id == lostId).State);
        var warning = await WaitForEventAsync("orders", Reasons.SecretLost, "Warning");
        Assert.Contains(lostId, warning.Message, StringComparison.Ordinal);
        var restore = await WaitForAsync<ApiKeyRotation>($"orders-restore-{lostId}", r => r.Status?.Phase == RotationPhases.GracePeriod, "the restore rotation in its grace period");
        Assert.Equal((lostId, restored.Status.CurrentKeyId), (restore.Status.OldKeyId, restore.Status.NewKeyId));
    }

    [Fact]
    public async Task Altered_secret_data_is_replaced_by_a_freshly_issued_key()
    {
        await StartOperatorAsync();
        await CreateApiKeyAsync("ledger");
        var first = await WaitForReadyAsync("ledger");
        var original = (await SecretAsync("ledger-key"))!;
        var originalToken = Text(original, SecretDataKeys.ApiKey);

        const string Tampered = "ak_tampered_by_hand";
        original.Data[SecretDataKeys.ApiKey] = Encoding.UTF8.GetBytes(Tampered);
        await Resources<V1Secret>().ReplaceAsync(original, Ct);

        var replaced = await WaitForAsync<ApiKey>(
            "ledger", k => k.Status?.CurrentKeyId is { } id && id != first.Status.CurrentKeyId && Conditions.IsTrue(k.Status.Conditions, ConditionTypes.Ready), "a freshly issued key");
        var secret = await Eventually.GetAsync(
            async _ => await SecretAsync("ledger-key") is { } s && Text(s, SecretDataKeys.KeyId) == replaced.Status.CurrentKeyId ? s : null, Timeout, "Secret with the new key", Ct);
        var token = Text(secret, SecretDataKeys.ApiKey);
        Assert.NotEqual(Tampered, token);
        Assert.NotEqual(originalToken, token);
        Assert.True(TokenFormat.TryParse(token, out _));
        Assert.Equal(KeyHash.Compute(token), replaced.Status.Keys!.Single(k => k.Id == replaced.Status.CurrentKeyId).Hash);
        Assert.Equal(KeyStates.Retiring, replaced.Status.Keys!.Single(k => k.Id == first.Status.CurrentKeyId).State);
        await WaitForEventAsync("ledger", Reasons.SecretLost, "Warning");

        // Once settled, the hand-made value is gone for good: the Secret's history after the repair never holds it.
        var settled = await WaitForReadyAsync("ledger");
        Assert.Equal(replaced.Status.CurrentKeyId, settled.Status.CurrentKeyId);
        var now = (await SecretAsync("ledger-key"))!;
        Assert.Equal(token, Text(now, SecretDataKeys.ApiKey));
    }

    [Fact]
    public async Task Foreign_secret_of_the_same_name_stalls_with_secret_conflict_and_stays_untouched()
    {
        var foreign = await Resources<V1Secret>().CreateAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "shared-key", NamespaceProperty = Namespace, Labels = new Dictionary<string, string> { ["owner"] = "someone-else" } },
            Type = "Opaque",
            Data = new Dictionary<string, byte[]> { ["apiKey"] = Encoding.UTF8.GetBytes("their-own-value"), ["note"] = [0, 1, 2, 255] },
        }, Ct);
        await StartOperatorAsync();
        await CreateApiKeyAsync("shared");

        var stalled = await WaitForConditionAsync("shared", ConditionTypes.Stalled, ConditionStatuses.True, Reasons.SecretConflict);

        Assert.Null(stalled.Status.CurrentKeyId);
        Assert.False(Conditions.IsTrue(stalled.Status.Conditions, ConditionTypes.Ready));
        await WaitForEventAsync("shared", Reasons.SecretConflict, "Warning");
        var after = (await SecretAsync("shared-key"))!;
        Assert.Equal(foreign.Metadata.ResourceVersion, after.Metadata.ResourceVersion);
        Assert.Equal(KubernetesJson.Serialize(foreign), KubernetesJson.Serialize(after));
    }

    [Fact]
    public async Task Stalled_api_key_issues_its_key_once_the_foreign_secret_is_deleted()
    {
        await Resources<V1Secret>().CreateAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "squatted-key", NamespaceProperty = Namespace },
            Data = new Dictionary<string, byte[]> { ["token"] = Encoding.UTF8.GetBytes("someone-elses") },
        }, Ct);
        await StartOperatorAsync();
        await CreateApiKeyAsync("squatted");
        await WaitForConditionAsync("squatted", ConditionTypes.Stalled, ConditionStatuses.True, Reasons.SecretConflict);

        // What the Stalled message tells the user to do.
        await Resources<V1Secret>().DeleteAsync(Key("squatted-key"), Ct);

        var ready = await WaitForReadyAsync("squatted");
        Assert.False(Conditions.IsTrue(ready.Status.Conditions, ConditionTypes.Stalled));
        Assert.Equal(ready.Status.CurrentKeyId, Text((await SecretAsync("squatted-key"))!, SecretDataKeys.KeyId));
    }

    [Fact]
    public async Task Changing_secret_name_moves_the_credential_and_deletes_the_old_secret()
    {
        await StartOperatorAsync();
        await CreateApiKeyAsync("search");
        var issued = await WaitForReadyAsync("search");
        var token = Text((await SecretAsync("search-key"))!, SecretDataKeys.ApiKey);

        await PatchSpecAsync("search", new { secretName = "search-credentials" });

        var moved = await WaitForAsync<ApiKey>("search", k => k.Status?.SecretName == "search-credentials" && Conditions.IsTrue(k.Status.Conditions, ConditionTypes.Ready), "status names the new Secret");
        Assert.Equal(issued.Status.CurrentKeyId, moved.Status.CurrentKeyId);
        Assert.Single(moved.Status.Keys!);
        var secret = (await SecretAsync("search-credentials"))!;
        Assert.Equal(token, Text(secret, SecretDataKeys.ApiKey));
        Assert.Equal(moved.Metadata.Uid, secret.Metadata.OwnerReferences.Single().Uid);
        await Eventually.WaitAsync(async _ => await SecretAsync("search-key") is null, Timeout, "old Secret search-key deleted", Ct);
        await WaitForEventAsync("search", Reasons.SecretMoved);
    }

    [Fact]
    public async Task Moving_onto_a_foreign_secret_stalls_keeps_the_old_secret_and_deletion_spares_the_foreign_one()
    {
        var foreign = await Resources<V1Secret>().CreateAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "occupied", NamespaceProperty = Namespace },
            Data = new Dictionary<string, byte[]> { ["password"] = Encoding.UTF8.GetBytes("not-ours") },
        }, Ct);
        await StartOperatorAsync();
        await CreateApiKeyAsync("mover");
        var ready = await WaitForReadyAsync("mover");
        var original = (await SecretAsync("mover-key"))!;

        await PatchSpecAsync("mover", new { secretName = "occupied" });

        var stalled = await WaitForConditionAsync("mover", ConditionTypes.Stalled, ConditionStatuses.True, Reasons.SecretConflict);
        Assert.Equal(ready.Status.CurrentKeyId, stalled.Status.CurrentKeyId);
        Assert.Equal(KeyStates.Active, stalled.Status.Keys!.Single().State);
        Assert.Equal(original.Metadata.ResourceVersion, (await SecretAsync("mover-key"))!.Metadata.ResourceVersion);
        Assert.Equal(foreign.Metadata.ResourceVersion, (await SecretAsync("occupied"))!.Metadata.ResourceVersion);

        await Resources<ApiKey>().DeleteAsync(Key("mover"), Ct);
        await Eventually.WaitAsync(async _ => await Resources<ApiKey>().GetAsync(Key("mover"), Ct) is null, Timeout, "ApiKey mover gone", Ct);
        await Eventually.WaitAsync(async _ => await SecretAsync("mover-key") is null, Timeout, "its own Secret mover-key deleted", Ct);
        var survivor = await SecretAsync("occupied");
        Assert.NotNull(survivor);
        Assert.Equal(foreign.Metadata.ResourceVersion, survivor.Metadata.ResourceVersion);
    }
}
