using System.Collections.Immutable;
using ApiKeyOperator.Api;

namespace ApiKeyOperator.Verification;

/// <summary>
/// The keys verification can find, by public key id, fed from the ApiKey informer's events
/// (<see cref="Upsert"/> on add and update, <see cref="Remove"/> on delete) so that a revocation counts as
/// soon as the cache sees the new status. Readers take an immutable snapshot without a lock; writers (the
/// informer's handlers) serialise on a lock and publish a new snapshot, so a key present before and after a
/// change never goes missing in between. Indexed by key id rather than by hash: the lookup
/// is driven by public data only, and the secret-derived hash is compared in constant time afterwards.
/// </summary>
public sealed class KeyIndex
{
    private readonly Lock _writeLock = new();
    private volatile Snapshot _snapshot = Snapshot.Empty;
    private volatile bool _synced;

    /// <summary>
    /// Whether the index holds the informer's first full list. Until then every key would look Unknown, so the
    /// review endpoint answers 503 instead of wrong verdicts.
    /// </summary>
    public bool IsSynced => _synced;

    /// <summary>Every indexed key whose public id is <paramref name="keyId"/> (ids are random, so rarely more than one).</summary>
    public ImmutableArray<IndexedKey> FindByKeyId(string keyId) =>
        _snapshot.ByKeyId.TryGetValue(keyId, out var keys) ? keys : [];

    /// <summary>The namespaces holding indexed keys, sorted.</summary>
    public ImmutableArray<string> Namespaces => _snapshot.Namespaces.Value;

    /// <summary>Replaces everything indexed for one ApiKey with <paramref name="keys"/> (empty removes it).</summary>
    public void Replace(string namespaceName, string apiKeyName, IEnumerable<IndexedKey> keys)
    {
        var owner = new ApiKeyReference(namespaceName, apiKeyName);
        var fresh = keys.ToImmutableArray();
        foreach (var key in fresh)
        {
            if (key.Namespace != namespaceName || key.ApiKeyName != apiKeyName)
            {
                throw new ArgumentException($"key {key.KeyId} belongs to {key.Namespace}/{key.ApiKeyName}, not {owner.Namespace}/{owner.Name}", nameof(keys));
            }
        }

        lock (_writeLock)
        {
            _snapshot = _snapshot.With(owner, fresh);
        }
    }

    /// <summary>Called once the ApiKey informer has synced (after its <c>WaitForSyncAsync</c>).</summary>
    public void MarkSynced() => _synced = true;

    /// <summary>Indexes the keys of <paramref name="apiKey"/> as the informer sees it now (add and update events).</summary>
    public void Upsert(ApiKey apiKey) =>
        Replace(apiKey.Metadata.NamespaceProperty ?? "", apiKey.Metadata.Name, IndexedKeyMapper.FromApiKey(apiKey));

    /// <summary>Forgets one ApiKey (delete events).</summary>
    public void Remove(string namespaceName, string apiKeyName) => Replace(namespaceName, apiKeyName, []);

    private sealed record Snapshot(
        ImmutableDictionary<ApiKeyReference, ImmutableArray<IndexedKey>> ByApiKey,
        ImmutableDictionary<string, ImmutableArray<IndexedKey>> ByKeyId)
    {
        // Built on first use per snapshot: only reviews of unknown keys ask for it.
        public Lazy<ImmutableArray<string>> Namespaces { get; } = new(() => [.. ByApiKey.Keys.Select(k => k.Namespace).Distinct().Order(StringComparer.Ordinal)]);

        public static readonly Snapshot Empty = new(
            ImmutableDictionary<ApiKeyReference, ImmutableArray<IndexedKey>>.Empty,
            ImmutableDictionary.Create<string, ImmutableArray<IndexedKey>>(StringComparer.Ordinal));

        public Snapshot With(ApiKeyReference owner, ImmutableArray<IndexedKey> keys)
        {
            var byKeyId = ByKeyId;
            if (ByApiKey.TryGetValue(owner, out var previous))
            {
                foreach (var old in previous)
                {
                    byKeyId = Detach(byKeyId, old.KeyId, owner);
                }
            }

            foreach (var key in keys)
            {
                byKeyId = byKeyId.SetItem(key.KeyId, byKeyId.TryGetValue(key.KeyId, out var same) ? same.Add(key) : [key]);
            }

            var byApiKey = keys.IsEmpty ? ByApiKey.Remove(owner) : ByApiKey.SetItem(owner, keys);
            return new Snapshot(byApiKey, byKeyId);
        }

        private static ImmutableDictionary<string, ImmutableArray<IndexedKey>> Detach(
            ImmutableDictionary<string, ImmutableArray<IndexedKey>> byKeyId, string keyId, ApiKeyReference owner)
        {
            if (!byKeyId.TryGetValue(keyId, out var entries))
            {
                return byKeyId;
            }

            var kept = entries.RemoveAll(k => k.Namespace == owner.Namespace && k.ApiKeyName == owner.Name);
            return kept.IsEmpty ? byKeyId.Remove(keyId) : byKeyId.SetItem(keyId, kept);
        }
    }
}
