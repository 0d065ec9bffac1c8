using ApiKeyOperator.Api;
using ApiKeyOperator.Verification;
using k8s.Models;
using Xunit;

namespace ApiKeyOperator.Tests.Verification;

public sealed class IndexedKeyMapperTests
{
    private static readonly DateTime Expiry = new(2027, 6, 30, 0, 0, 0, DateTimeKind.Utc);
    private static readonly string HashA = "sha256:" + new string('a', 64);
    private static readonly string HashB = "sha256:" + new string('b', 64);

    [Fact]
    public void Maps_every_key_record_with_its_state_scopes_and_times()
    {
        var revokeAt = Expiry.AddDays(-10);
        var apiKey = ApiKeyWith(
            new KeyRecord { Id = "3f9a1c2e", State = KeyStates.Active, Hash = HashA, Scopes = ["recordings:read"], ExpiresAt = Expiry },
            new KeyRecord { Id = "0badc0de", State = KeyStates.Retiring, Hash = HashB, Scopes = [], ExpiresAt = Expiry, RevokeAt = revokeAt });

        var keys = IndexedKeyMapper.FromApiKey(apiKey).ToList();

        Assert.Equal(2, keys.Count);
        Assert.Equal(("payments", "billing", "3f9a1c2e", HashA, IndexedKeyState.Active, Expiry),
            (keys[0].Namespace, keys[0].ApiKeyName, keys[0].KeyId, keys[0].Hash, keys[0].State, keys[0].ExpiresAt));
        Assert.Equal(["recordings:read"], keys[0].Scopes);
        Assert.Equal(IndexedKeyState.Retiring, keys[1].State);
        Assert.Equal(revokeAt, keys[1].RevokeAt);
    }

    [Theory]
    [InlineData(KeyStates.Revoked, IndexedKeyState.Revoked)]
    [InlineData(KeyStates.Expired, IndexedKeyState.Expired)]
    [InlineData("Suspended", IndexedKeyState.Revoked)]
    [InlineData("active", IndexedKeyState.Revoked)]
    public void Dead_and_unrecognised_states_never_map_to_a_valid_state(string state, IndexedKeyState expected)
    {
        var apiKey = ApiKeyWith(new KeyRecord { Id = "3f9a1c2e", State = state, Hash = HashA });

        Assert.Equal(expected, Assert.Single(IndexedKeyMapper.FromApiKey(apiKey)).State);
    }

    [Fact]
    public void Keys_of_an_ApiKey_being_deleted_are_revoked()
    {
        var apiKey = ApiKeyWith(new KeyRecord { Id = "3f9a1c2e", State = KeyStates.Active, Hash = HashA });
        apiKey.Metadata.DeletionTimestamp = Expiry.AddYears(-1);

        Assert.Equal(IndexedKeyState.Revoked, Assert.Single(IndexedKeyMapper.FromApiKey(apiKey)).State);
    }

    [Fact]
    public void Record_without_scopes_or_expiry_falls_back_to_spec_scopes_and_status_expiry_of_the_current_key()
    {
        var apiKey = ApiKeyWith(
            new KeyRecord { Id = "3f9a1c2e", State = KeyStates.Active, Hash = HashA },
            new KeyRecord { Id = "0badc0de", State = KeyStates.Retiring, Hash = HashB });
        apiKey.Spec.Scopes = ["a"];
        apiKey.Status.CurrentKeyId = "3f9a1c2e";
        apiKey.Status.ExpiresAt = Expiry;

        var keys = IndexedKeyMapper.FromApiKey(apiKey).ToList();

        Assert.Equal(["a"], keys[0].Scopes);
        Assert.Equal(Expiry, keys[0].ExpiresAt);
        Assert.Null(keys[1].ExpiresAt);
    }

    [Fact]
    public void Unspecified_times_are_read_as_utc()
    {
        var apiKey = ApiKeyWith(new KeyRecord
        {
            Id = "3f9a1c2e", Hash = HashA, ExpiresAt = DateTime.SpecifyKind(Expiry, DateTimeKind.Unspecified),
        });

        var key = Assert.Single(IndexedKeyMapper.FromApiKey(apiKey));

        Assert.Equal(DateTimeKind.Utc, key.ExpiresAt!.Value.Kind);
        Assert.Equal(Expiry, key.ExpiresAt);
    }

    [Theory]
    [InlineData("3F9A1C2E", "sha256:")]
    [InlineData("short", "sha256:")]
    [InlineData("3f9a1c2e", "md5:")]
    public void Records_with_an_invalid_id_or_hash_are_skipped(string id, string hashPrefix)
    {
        var apiKey = ApiKeyWith(new KeyRecord { Id = id, Hash = hashPrefix + new string('a', 64) });

        Assert.Empty(IndexedKeyMapper.FromApiKey(apiKey));
    }

    [Fact]
    public void Nulls_from_a_server_that_does_not_default_are_tolerated()
    {
        var apiKey = k8s.KubernetesJson.Deserialize<ApiKey>(
            """{"metadata":{"name":"billing","namespace":"payments"},"spec":null,"status":null}""");
        Assert.Empty(IndexedKeyMapper.FromApiKey(apiKey));

        var withNullRecords = k8s.KubernetesJson.Deserialize<ApiKey>(
            """{"metadata":{"name":"billing","namespace":"payments"},"spec":null,"status":{"keys":[null,{"id":"3f9a1c2e","hash":null},{"id":"0badc0de","hash":"HASH","state":null}]}}"""
                .Replace("HASH", HashA, StringComparison.Ordinal));
        var key = Assert.Single(IndexedKeyMapper.FromApiKey(withNullRecords));
        Assert.Equal("0badc0de", key.KeyId);
        Assert.Equal(IndexedKeyState.Revoked, key.State);
        Assert.Empty(key.Scopes);
    }

    [Fact]
    public void Upsert_and_Remove_follow_the_informer()
    {
        var index = new KeyIndex();
        var apiKey = ApiKeyWith(new KeyRecord { Id = "3f9a1c2e", State = KeyStates.Active, Hash = HashA });

        index.Upsert(apiKey);
        Assert.Equal(IndexedKeyState.Active, Assert.Single(index.FindByKeyId("3f9a1c2e")).State);

        apiKey.Status.Keys![0].State = KeyStates.Revoked;
        index.Upsert(apiKey);
        Assert.Equal(IndexedKeyState.Revoked, Assert.Single(index.FindByKeyId("3f9a1c2e")).State);

        index.Remove("payments", "billing");
        Assert.Empty(index.FindByKeyId("3f9a1c2e"));
    }

    private static ApiKey ApiKeyWith(params KeyRecord[] keys) => new()
    {
        Metadata = new V1ObjectMeta { Name = "billing", NamespaceProperty = "payments" },
        Status = new ApiKeyStatus { Keys = [.. keys] },
    };
}
