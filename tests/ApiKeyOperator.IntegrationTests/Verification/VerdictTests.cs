using ApiKeyOperator.Api;
using ApiKeyOperator.Controllers.ApiKeys;
using ApiKeyOperator.IntegrationTests.Harness;
using ApiKeyOperator.Keys;
using ApiKeyOperator.Verification;
using Xunit;

namespace ApiKeyOperator.IntegrationTests.Verification;

public sealed class VerdictTests(ClusterFixture cluster) : VerificationTest(cluster)
{
    [Fact]
    public async Task Active_key_is_valid_and_scopes_unknown_and_malformed_keys_are_told_apart()
    {
        var running = await StartOperatorAsync();
        await CreateApiKeyAsync("billing", s => s.Scopes = ["invoices:read", "invoices:write"]);
        var apiKey = await WaitForReadyAsync("billing");
        var key = await ReadKeyAsync("billing-key");
        var reviews = Reviews(running);

        var valid = await reviews.ReviewAsync(key, Ct, "invoices:read");
        var missing = await reviews.ReviewAsync(key, Ct, "invoices:read", "refunds:write", "admin");
        var unknown = await reviews.ReviewAsync(new KeyGenerator().Generate(CredentialFormat.Token, "ak_").ApiKey!, Ct);
        var tampered = await reviews.ReviewAsync(key[..^1] + (key[^1] == 'A' ? 'B' : 'A'), Ct);
        var garbage = await reviews.ReviewAsync("not-a-key", Ct);

        Assert.Equal(201, valid.Code);
        var status = valid.Status;
        Assert.Equal((true, true, ReviewReason.Valid), (status.Authenticated, status.Allowed, status.Reason));
        Assert.Equal(new ApiKeyReference(Namespace, "billing"), status.ApiKey);
        Assert.Equal(apiKey.Status.CurrentKeyId, status.KeyId);
        Assert.Equal(["invoices:read", "invoices:write"], status.Scopes);
        Assert.Equal(apiKey.Status.ExpiresAt, status.ExpiresAt);
        Assert.Equal((true, false, ReviewReason.MissingScopes), (missing.Status.Authenticated, missing.Status.Allowed, missing.Reason));
        Assert.Equal(["refunds:write", "admin"], missing.Status.MissingScopes);
        Assert.Equal((false, ReviewReason.Unknown), (unknown.Status.Authenticated, unknown.Reason));
        Assert.Null(unknown.Status.ApiKey);
        Assert.Equal((false, ReviewReason.Malformed), (tampered.Status.Authenticated, tampered.Reason));
        Assert.Equal(ReviewReason.Malformed, garbage.Reason);
        Assert.All(new[] { valid, missing, unknown, tampered }, r => Assert.DoesNotContain(key[^20..], r.Body, StringComparison.Ordinal));
        Assert.DoesNotContain(key, Logs.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retiring_key_stays_valid_and_an_emergency_rotation_rejects_the_old_key_at_once()
    {
        var running = await StartOperatorAsync();
        await CreateApiKeyAsync("graceful");
        await CreateApiKeyAsync("leaked");
        await WaitForReadyAsync("graceful");
        await WaitForReadyAsync("leaked");
        var retiring = await ReadKeyAsync("graceful-key");
        var compromised = await ReadKeyAsync("leaked-key");
        var reviews = Reviews(running);
        Assert.Equal(ReviewReason.Valid, (await reviews.ReviewAsync(compromised, Ct)).Reason);

        await CreateRotationAsync("graceful-r1", "graceful", s => s.GracePeriod = "1h");
        await WaitForPhaseAsync("graceful-r1", RotationPhases.GracePeriod);
        var before = await Resources<ApiKey>().GetAsync(Key("leaked"), Ct);
        var measurement = await RevocationMeasurement.RunAsync(
            () => CreateRotationAsync("leaked-r1", "leaked", s => { s.Strategy = RotationStrategies.Emergency; s.Reason = "posted in a public channel"; }),
            ct => WatchUntilRevokedAsync("leaked", before!.Metadata.ResourceVersion, ct),
            async ct => (await reviews.ReviewAsync(compromised, ct)).Reason,
            Timeout,
            Ct);
        await WaitForPhaseAsync("leaked-r1", RotationPhases.Succeeded);

        var graceful = await Resources<ApiKey>().GetAsync(Key("graceful"), Ct);
        Assert.Equal(KeyStates.Retiring, graceful!.Status.Keys!.Single(k => k.Id != graceful.Status.CurrentKeyId).State);
        Assert.Equal(ReviewReason.Valid, (await reviews.ReviewAsync(retiring, Ct)).Reason);
        Assert.Equal(ReviewReason.Valid, (await reviews.ReviewAsync(await ReadKeyAsync("graceful-key"), Ct)).Reason);
        var revoked = await reviews.ReviewAsync(compromised, Ct);
        Assert.Equal((false, false, ReviewReason.Revoked), (revoked.Status.Authenticated, revoked.Status.Allowed, revoked.Reason));
        Assert.Equal(ReviewReason.Valid, (await reviews.ReviewAsync(await ReadKeyAsync("leaked-key"), Ct)).Reason);
        Assert.True(measurement.NeverValidAfterRejection, "after the first Revoked answer the old key verified as Valid again");
        Assert.True(measurement.RevokeToRejection < TimeSpan.FromSeconds(5), $"revoke → first rejection took {measurement.RevokeToRejection.TotalMilliseconds:0} ms");
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"revoke -> first rejection: {measurement.RevokeToRejection.TotalMilliseconds:0.0} ms ({measurement.Reviews} reviews)");
    }

    private async Task WatchUntilRevokedAsync(string apiKeyName, string resourceVersion, CancellationToken cancellationToken)
    {
        await foreach (var change in Resources<ApiKey>().WatchAsync(Namespace, null, resourceVersion, Timeout, TimeProvider.System, cancellationToken))
        {
            if (change.Object?.Metadata.Name == apiKeyName && change.Object.Status?.Keys?.Any(k => k.State == KeyStates.Revoked) == true)
            {
                return;
            }
        }

        throw new TimeoutException($"the watch on ApiKey {apiKeyName} ended before its status showed a revoked key");
    }

    [Fact]
    public async Task Key_past_its_expiry_verifies_as_expired()
    {
        // The key is first shown Valid with no deadline running: an expiry set at creation could pass while a loaded
        // machine was still starting the operator (the ApiKey was then refused as expiring in the past, never Ready).
        var running = await StartOperatorAsync();
        await CreateApiKeyAsync("short");
        await WaitForReadyAsync("short");
        var key = await ReadKeyAsync("short-key");
        var reviews = Reviews(running);
        Assert.Equal(ReviewReason.Valid, (await reviews.ReviewAsync(key, Ct)).Reason);

        // Then its expiry is moved to moments ahead. A reconcile that sees the edit only after that moment refuses it
        // as in the past (and the key stays Valid): the edit is then made again further ahead, until one lands in time.
        var margin = TimeSpan.FromSeconds(2);
        while (true)
        {
            var at = DateTime.UtcNow + margin;
            var expiresAt = new DateTime(at.Ticks - (at.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
            var edited = await Resources<ApiKey>().PatchAsync(Key("short"), "{\"spec\":{\"expiresAt\":\"" + ApiKeySecret.FormatTime(expiresAt) + "\"}}", Ct);
            var settled = await WaitForAsync<ApiKey>("short", k =>
                k.Status?.Keys?.SingleOrDefault()?.State == KeyStates.Expired
                || Conditions.Find(k.Status?.Conditions, ConditionTypes.Stalled) is { Status: "True", Reason: Reasons.InvalidSpec } stalled
                    && stalled.ObservedGeneration == edited.Metadata.Generation,
                "its key Expired, or the edit refused as already past");
            if (settled.Status.Keys!.Single().State == KeyStates.Expired)
            {
                Assert.Equal(expiresAt, settled.Status.Keys!.Single().ExpiresAt!.Value.ToUniversalTime());
                break;
            }

            Assert.Contains("is in the past", Conditions.Find(settled.Status.Conditions, ConditionTypes.Stalled)!.Message, StringComparison.Ordinal);
            margin *= 2;
        }

        var expired = await reviews.ReviewAsync(key, Ct);

        Assert.Equal((false, ReviewReason.Expired), (expired.Status.Authenticated, expired.Reason));
        Assert.Equal(new ApiKeyReference(Namespace, "short"), expired.Status.ApiKey);
    }
}
