using System.Text;
using System.Text.Json;
using ApiKeyOperator.Runtime;
using ApiKeyOperator.Tests.Controllers;
using ApiKeyOperator.Verification;
using ApiKeyOperator.Verification.Signing;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Tokens;
using Prometheus;
using Xunit;

namespace ApiKeyOperator.Tests.Verification.Providers;

/// <summary>The signing Secret's format, the in-memory ring built from it, and the service that keeps both in step.</summary>
public sealed class SigningKeyStoreTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private static readonly ObjectKey SecretKey = new("apikey-operator-system", "signing");
    private static readonly SigningKeyPolicy Policy = new(TimeSpan.FromHours(10), TimeSpan.FromHours(1), TimeSpan.FromHours(24) + SigningKeyPolicy.ClockSkew);

    private readonly FakeTimeProvider _time = new(Now);
    private readonly FakeResource<V1Secret> _secrets = new();
    private readonly RecordingLogger<SigningKeyService> _logs = new();

    [Fact]
    public void Secret_round_trips_every_key_field()
    {
        var keys = new[] { SigningKeyGenerator.Generate(Now.UtcDateTime, Now.UtcDateTime), SigningKeyGenerator.Generate(Now.UtcDateTime, Now.UtcDateTime.AddHours(1)) };

        var secret = SigningKeySecret.Build(SecretKey.Namespace!, SecretKey.Name, keys, existing: null);

        Assert.True(SigningKeySecret.TryRead(secret, out var read, out var problem), problem);
        Assert.Equal(keys, read);
        Assert.Equal("apikey-operator", secret.Metadata.Labels[SigningKeySecret.ManagedByLabel]);
        Assert.Equal("Opaque", secret.Type);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""[{"kid":"a","alg":"RS256","createdAt":"2026-11-23T12:00:00Z","activeFrom":"2026-11-23T12:00:00Z","privateKey":"x"}]""")]
    [InlineData("""[{"kid":"a","alg":"ES256","createdAt":"2026-11-23T12:00:00Z","activeFrom":"2026-11-23T12:00:00Z","privateKey":"x"},{"kid":"a","alg":"ES256","createdAt":"2026-11-23T12:00:00Z","activeFrom":"2026-11-23T12:00:00Z","privateKey":"y"}]""")]
    [InlineData("""[null]""")]
    public void Unreadable_secret_is_refused_with_a_reason_that_quotes_nothing(string data)
    {
        var secret = new V1Secret { Metadata = new V1ObjectMeta { Name = "signing" }, Data = new Dictionary<string, byte[]> { [SigningKeySecret.DataKey] = Encoding.UTF8.GetBytes(data) } };

        Assert.False(SigningKeySecret.TryRead(secret, out _, out var problem));
        Assert.Contains(SigningKeySecret.DataKey, problem);
        Assert.DoesNotContain("not json", problem);
    }

    [Fact]
    public void Ring_signs_with_the_latest_active_key_and_publishes_public_halves_only()
    {
        var ring = new SigningKeyRing();
        var current = SigningKeyGenerator.Generate(Now.UtcDateTime, Now.UtcDateTime);
        var next = SigningKeyGenerator.Generate(Now.UtcDateTime, Now.UtcDateTime.AddHours(1));

        Assert.Empty(ring.Update([next, current]));

        Assert.Equal(current.Kid, ring.SignerAt(Now.UtcDateTime)!.Kid);
        Assert.Equal(next.Kid, ring.SignerAt(Now.UtcDateTime.AddHours(1))!.Kid);
        var json = Encoding.UTF8.GetString(ring.JwksDocument.Span);
        var jwks = new JsonWebKeySet(json);
        Assert.Equal([current.Kid, next.Kid], jwks.Keys.Select(k => k.Kid));
        Assert.All(jwks.Keys, k => Assert.Equal(("EC", "P-256", "sig", "ES256"), (k.Kty, k.Crv, k.Use, k.Alg)));
        Assert.All(jwks.Keys, k => Assert.Null(k.D));
        using var document = JsonDocument.Parse(json);
        Assert.All(document.RootElement.GetProperty("keys").EnumerateArray(), k => Assert.False(k.TryGetProperty("d", out _)));
        Assert.DoesNotContain("PRIVATE", json);
    }

    [Fact]
    public void Ring_skips_a_key_that_does_not_load_and_keeps_the_others()
    {
        var ring = new SigningKeyRing();
        var good = SigningKeyGenerator.Generate(Now.UtcDateTime, Now.UtcDateTime);
        var bad = good with { Kid = "bad", PrivateKeyPem = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----" };

        Assert.Equal(["bad"], ring.Update([good, bad]));

        Assert.Equal(good.Kid, Assert.Single(ring.Keys).Kid);
    }

    [Fact]
    public async Task Leader_creates_the_secret_then_publishes_a_successor_ahead_and_retires_the_old_key()
    {
        var ring = new SigningKeyRing();
        var service = Service(ring, leader: true);

        await service.SyncAsync(TestContext.Current.CancellationToken);
        var first = Assert.Single(Stored());
        Assert.Equal(first.Kid, ring.SignerAt(Now.UtcDateTime)!.Kid);

        _time.Advance(Policy.RotationInterval - Policy.PublishAhead);
        var next = await service.SyncAsync(TestContext.Current.CancellationToken);
        Assert.Equal(2, Stored().Count);
        Assert.Equal(first.Kid, ring.SignerAt(_time.GetUtcNow().UtcDateTime)!.Kid);
        Assert.Equal(Now.UtcDateTime + Policy.RotationInterval, next);

        _time.Advance(Policy.PublishAhead);
        Assert.Equal(Stored()[1].Kid, ring.SignerAt(_time.GetUtcNow().UtcDateTime)!.Kid);
        _time.Advance(Policy.Retention);
        await service.SyncAsync(TestContext.Current.CancellationToken);
        Assert.DoesNotContain(Stored(), k => k.Kid == first.Kid);
        Assert.DoesNotContain(ring.Keys, k => k.Kid == first.Kid);
    }

    [Fact]
    public async Task Follower_reads_the_keys_but_never_writes()
    {
        await Service(new SigningKeyRing(), leader: true).SyncAsync(TestContext.Current.CancellationToken);
        var writesBefore = _secrets.Writes.Count();
        var followerRing = new SigningKeyRing();
        var follower = Service(followerRing, leader: false);

        _time.Advance(Policy.RotationInterval * 3);
        Assert.Null(await follower.SyncAsync(TestContext.Current.CancellationToken));

        Assert.Equal(writesBefore, _secrets.Writes.Count());
        Assert.Equal(Stored().Single().Kid, Assert.Single(followerRing.Keys).Kid);
    }

    [Fact]
    public async Task Follower_without_a_secret_has_nothing_to_sign_with()
    {
        var ring = new SigningKeyRing();

        await Service(ring, leader: false).SyncAsync(TestContext.Current.CancellationToken);

        Assert.Null(ring.SignerAt(Now.UtcDateTime));
        Assert.Empty(_secrets.Writes);
    }

    [Fact]
    public async Task Unreadable_secret_is_never_overwritten_and_the_loaded_keys_stay_in_use()
    {
        var ring = new SigningKeyRing();
        var service = Service(ring, leader: true);
        await service.SyncAsync(TestContext.Current.CancellationToken);
        var loaded = ring.Keys.Single().Kid;
        var planted = _secrets.Stored(SecretKey)!;
        planted.Data[SigningKeySecret.DataKey] = Encoding.UTF8.GetBytes("{garbage");
        _secrets.Seed(planted);
        var writesBefore = _secrets.Writes.Count();

        _time.Advance(Policy.RotationInterval);
        await service.SyncAsync(TestContext.Current.CancellationToken);
        await service.SyncAsync(TestContext.Current.CancellationToken);

        Assert.Equal(writesBefore, _secrets.Writes.Count());
        Assert.Equal(loaded, Assert.Single(ring.Keys).Kid);
        Assert.Single(_logs.Lines, m => m.Contains("does not hold token signing keys", StringComparison.Ordinal));
        Assert.DoesNotContain(_logs.Lines, m => m.Contains("garbage", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_a_namespace_the_service_says_tokens_are_off_and_touches_nothing()
    {
        using var service = new SigningKeyService(
            new SigningKeyOptions(null, "signing", Policy, TimeSpan.FromSeconds(30)),
            new SigningKeyRing(),
            _secrets,
            () => true,
            new ProviderMetrics(Metrics.WithCustomRegistry(Metrics.NewCustomRegistry())),
            _time,
            _logs);

        await service.StartAsync(TestContext.Current.CancellationToken);
        await service.ExecuteTask!;

        Assert.Empty(_secrets.Requests);
        Assert.Contains(_logs.Lines, l => l.Contains("Access tokens are off", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Logs_and_metrics_never_contain_private_keys()
    {
        var registry = Metrics.NewCustomRegistry();
        var ring = new SigningKeyRing();
        var service = Service(ring, leader: true, registry);
        await service.SyncAsync(TestContext.Current.CancellationToken);
        _time.Advance(Policy.RotationInterval);
        await service.SyncAsync(TestContext.Current.CancellationToken);

        using var metrics = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(metrics, TestContext.Current.CancellationToken);
        var exported = Encoding.UTF8.GetString(metrics.ToArray());
        Assert.Contains("apikey_token_signing_keys 2", exported);
        foreach (var key in Stored())
        {
            var body = key.PrivateKeyPem.Split('\n')[1];
            Assert.DoesNotContain(_logs.Lines, m => m.Contains(body, StringComparison.Ordinal));
            Assert.DoesNotContain(body, exported);
            Assert.DoesNotContain(body, key.ToString());
        }
    }

    private SigningKeyService Service(SigningKeyRing ring, bool leader, CollectorRegistry? registry = null) => new(
        new SigningKeyOptions(SecretKey.Namespace!, SecretKey.Name, Policy, TimeSpan.FromSeconds(30)),
        ring,
        _secrets,
        () => leader,
        new ProviderMetrics(Metrics.WithCustomRegistry(registry ?? Metrics.NewCustomRegistry())),
        _time,
        _logs);

    private IReadOnlyList<SigningKey> Stored() =>
        SigningKeySecret.TryRead(_secrets.Stored(SecretKey)!, out var keys, out var problem) ? keys : throw new InvalidOperationException(problem);
}
