using System.Text.Json;
using ApiKeyOperator.IntegrationTests.Harness;
using ApiKeyOperator.IntegrationTests.Operator;
using ApiKeyOperator.Verification;
using ApiKeyOperator.Verification.Signing;
using k8s.Models;
using Microsoft.IdentityModel.JsonWebTokens;
using Xunit;

namespace ApiKeyOperator.IntegrationTests.Providers;

/// <summary>Signing keys are written by the leader only and read by every replica, which all issue and verify tokens.</summary>
public sealed class SigningKeyReplicaTests(ClusterFixture cluster) : ProvidersTest(cluster)
{
    private const string LeaseName = "apikeyoperator.io";

    [Fact]
    public async Task Only_the_leader_writes_the_signing_keys_and_every_replica_signs_and_verifies_with_them()
    {
        var sim = Sim;
        // Someone else holds the Lease for an hour: the replica started now is a follower.
        await Resources<V1Lease>().CreateAsync(new V1Lease
        {
            Metadata = new V1ObjectMeta { Name = LeaseName, NamespaceProperty = Namespace },
            Spec = new V1LeaseSpec { HolderIdentity = "elsewhere", LeaseDurationSeconds = 3600, AcquireTime = DateTime.UtcNow, RenewTime = DateTime.UtcNow },
        }, Ct);
        var follower = await StartProviderOperatorAsync(ReplicaFlags("follower"));
        await Eventually.WaitAsync(_ => Task.FromResult(SecretReads() >= 5), Timeout, "the follower reading the signing Secret", Ct);

        Assert.False(follower.Host.IsReconciling);
        Assert.Null(await Resources<V1Secret>().GetAsync(Key(ProviderFlags.DefaultSigningSecret), Ct));
        Assert.Empty(await JwksKidsAsync(follower));
        await CreateApiKeyAsync("exporter", s => { s.Format = ApiKeyOperator.Api.KeyFormats.ClientCredentials; s.Scopes = ["recordings:read"]; });
        var refused = await RequestTokenAsync(follower, ("ak_00000000", new string('A', 49)), retryWhileLoading: false);
        Assert.Equal(("temporarily_unavailable", 503), (refused.TryGet("error"), (int)refused.HttpStatusCode));

        // The Lease is released: the replica leads and publishes the first key.
        await Resources<V1Lease>().DeleteAsync(Key(LeaseName), Ct);
        var leader = follower;
        await Eventually.WaitAsync(async _ => (await JwksKidsAsync(leader)).Count > 0, Timeout, "the new leader publishing a signing key", Ct);
        var secret = await Resources<V1Secret>().GetAsync(Key(ProviderFlags.DefaultSigningSecret), Ct);
        Assert.True(SigningKeySecret.TryRead(secret!, out var stored, out var problem), problem);

        // A second replica follows, reads the same keys, and its tokens verify at the leader (and the reverse).
        // Replicas share the issuer (in a cluster: the review Service's name).
        var second = await StartProviderOperatorAsync([.. ReplicaFlags("second"), "--token-issuer", Issuer(leader)]);
        Assert.False(second.Host.IsReconciling);
        await Eventually.WaitAsync(async _ => (await JwksKidsAsync(second)).SequenceEqual(await JwksKidsAsync(leader)), Timeout, "both replicas publishing the same keys", Ct);
        await WaitForReadyAsync("exporter");
        var client = await ReadClientAsync("exporter-key");
        var fromSecond = await AccessTokenAsync(second, client);
        var fromLeader = await AccessTokenAsync(leader, client);
        Assert.Contains(new JsonWebToken(fromSecond).Kid, stored!.Select(k => k.Kid).Concat(await JwksKidsAsync(leader)));
        Assert.Equal(200, (await GetAsync(new Uri(Issuer(leader) + $"/forward-auth?namespaces={Namespace}"), fromSecond)).Status);
        Assert.Equal(200, (await GetAsync(new Uri(Issuer(second) + $"/forward-auth?namespaces={Namespace}"), fromLeader)).Status);
        Assert.DoesNotContain(stored!.First().PrivateKeyPem.Split('\n')[1], Logs.Text, StringComparison.Ordinal);
    }

    private string[] ReplicaFlags(string replica) =>
    [
        "--ledger-path", Path.Combine(Path.GetDirectoryName(LedgerPath)!, $"ledger-{replica}.db"),
        "--leader-elect",
        "--leader-election-namespace", Namespace,
        "--leader-elect-lease-duration", "2s",
        "--leader-elect-renew-deadline", "1s",
        "--leader-elect-retry-period", "200ms",
    ];

    private int SecretReads() =>
        Sim.Requests.Snapshot().Count(r => r.Verb == "get" && r.Resource == "secrets" && r.Namespace == Namespace && r.Name == ProviderFlags.DefaultSigningSecret);

    private static async Task<IReadOnlyList<string>> JwksKidsAsync(RunningOperator running)
    {
        using var document = JsonDocument.Parse(await Http.GetStringAsync(Issuer(running) + "/.well-known/jwks.json", Ct));
        return [.. document.RootElement.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()!).Order(StringComparer.Ordinal)];
    }
}
