using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.IdentityModel.Tokens;

namespace ApiKeyOperator.Verification.Signing;

/// <summary>
/// This replica's view of the signing keys, as last read from the signing Secret: which key signs now, which
/// public keys verify, and the JWKS document. Readers take an immutable snapshot without a lock; keys are parsed
/// once, when they first appear.
/// </summary>
public sealed class SigningKeyRing
{
    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };
    private readonly Lock _writeLock = new();
    private volatile Snapshot _snapshot = Snapshot.Empty;

    /// <summary>Every published key, oldest signer first.</summary>
    public ImmutableArray<PublishedSigningKey> Keys => _snapshot.Keys;

    /// <summary>Public keys that verify tokens: every published key.</summary>
    public ImmutableArray<SecurityKey> ValidationKeys => _snapshot.ValidationKeys;

    /// <summary>The JWKS document (<c>{"keys":[…]}</c>) of the published keys, serialised once per change.</summary>
    public ReadOnlyMemory<byte> JwksDocument => _snapshot.Jwks;

    /// <summary>Grows with every change, so callers can cache what they derive from a snapshot.</summary>
    public long Version => _snapshot.Version;

    /// <summary>Whether any key has been loaded yet.</summary>
    public bool IsLoaded => !_snapshot.Keys.IsEmpty;

    /// <summary>The key that signs at <paramref name="now"/>, or null before the first key is loaded.</summary>
    public PublishedSigningKey? SignerAt(DateTime now)
    {
        // Keys are ordered as the planner orders signers (ActiveFrom, then kid): the last one whose time has come signs.
        PublishedSigningKey? signer = null;
        foreach (var key in _snapshot.Keys)
        {
            if (key.Key.ActiveFrom <= now)
            {
                signer = key;
            }
        }

        return signer;
    }

    /// <summary>Replaces the view with <paramref name="keys"/>; keys that fail to load are skipped and returned.</summary>
    /// <returns>The kids that could not be loaded (empty when all loaded).</returns>
    public IReadOnlyList<string> Update(IReadOnlyList<SigningKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        lock (_writeLock)
        {
            var previous = _snapshot;
            var failed = new List<string>();
            var loaded = ImmutableArray.CreateBuilder<PublishedSigningKey>(keys.Count);
            foreach (var key in keys.OrderBy(k => k.ActiveFrom).ThenBy(k => k.Kid, StringComparer.Ordinal))
            {
                var known = previous.Keys.FirstOrDefault(k => k.Key == key);
                if (known is not null)
                {
                    loaded.Add(known);
                    continue;
                }

                try
                {
                    loaded.Add(PublishedSigningKey.Load(key));
                }
                catch (System.Security.Cryptography.CryptographicException)
                {
                    failed.Add(key.Kid);
                }
            }

            var fresh = loaded.ToImmutable();
            if (!fresh.SequenceEqual(previous.Keys))
            {
                _snapshot = new Snapshot(
                    fresh,
                    [.. fresh.Select(k => k.PublicKey)],
                    JsonSerializer.SerializeToUtf8Bytes(new JwksBody([.. fresh.Select(k => k.Jwk)]), Json),
                    previous.Version + 1);
            }

            return failed;
        }
    }

    private sealed record JwksBody([property: JsonPropertyName("keys")] IReadOnlyList<PublicJsonWebKey> Keys);

    private sealed record Snapshot(ImmutableArray<PublishedSigningKey> Keys, ImmutableArray<SecurityKey> ValidationKeys, ReadOnlyMemory<byte> Jwks, long Version)
    {
        public static readonly Snapshot Empty = new([], [], JsonSerializer.SerializeToUtf8Bytes(new JwksBody([]), Json), 0);
    }
}
