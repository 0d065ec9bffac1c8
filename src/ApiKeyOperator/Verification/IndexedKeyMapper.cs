using ApiKeyOperator.Api;
using ApiKeyOperator.Keys;

namespace ApiKeyOperator.Verification;

/// <summary>Turns an ApiKey's <c>status.keys</c> into what verification needs. Fails closed on anything odd.</summary>
public static class IndexedKeyMapper
{
    public static IEnumerable<IndexedKey> FromApiKey(ApiKey apiKey)
    {
        ArgumentNullException.ThrowIfNull(apiKey);
        var namespaceName = apiKey.Metadata.NamespaceProperty ?? "";
        // Objects come from the wire: a server that does not apply CRD defaults can send null where the C#
        // types promise a value, and an informer handler must not throw.
        var status = apiKey.Status ?? new ApiKeyStatus();
        // Deleting an ApiKey revokes all its keys: refuse them from the moment deletion starts, not when the
        // finalizer gets to writing it down.
        var deleting = apiKey.Metadata.DeletionTimestamp is not null;
        foreach (var record in status.Keys ?? [])
        {
            if (record is null || !TokenFormat.IsValidKeyId(record.Id) || record.Hash?.StartsWith(KeyHash.Prefix, StringComparison.Ordinal) != true)
            {
                continue;
            }

            var expiresAt = record.ExpiresAt ?? (record.Id == status.CurrentKeyId ? status.ExpiresAt : null);
            yield return new IndexedKey(
                namespaceName,
                apiKey.Metadata.Name,
                record.Id,
                record.Hash,
                deleting ? IndexedKeyState.Revoked : StateOf(record.State),
                [.. record.Scopes ?? apiKey.Spec?.Scopes ?? []],
                Utc(expiresAt),
                Utc(record.RevokeAt));
        }
    }

    /// <summary>A state this version does not know is treated as revoked, never as valid.</summary>
    private static IndexedKeyState StateOf(string? state) => state switch
    {
        KeyStates.Active => IndexedKeyState.Active,
        KeyStates.Retiring => IndexedKeyState.Retiring,
        KeyStates.Expired => IndexedKeyState.Expired,
        _ => IndexedKeyState.Revoked,
    };

    /// <summary>Times from the API are UTC; a deserialiser may still hand them over as Unspecified or Local.</summary>
    private static DateTime? Utc(DateTime? time) => time?.Kind switch
    {
        null => null,
        DateTimeKind.Local => time.Value.ToUniversalTime(),
        _ => DateTime.SpecifyKind(time.Value, DateTimeKind.Utc),
    };
}
