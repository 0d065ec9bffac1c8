namespace ApiKeyOperator.Api;

/// <summary>
/// Records key usage in an ApiKey's status the way the ApiKey controller expects it: <c>keys[].lastUsedAt</c>
/// only ever moves forward, and <c>status.lastUsedAt</c> mirrors the current key's, so that the ApiKey
/// controller has nothing to follow up with.
/// </summary>
public static class LastUsed
{
    /// <summary>Applies <paramref name="lastUsedAt"/> (key id → UTC time); returns whether status changed.</summary>
    public static bool Apply(ApiKeyStatus status, IReadOnlyDictionary<string, DateTime> lastUsedAt)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(lastUsedAt);
        var changed = false;
        foreach (var key in status.Keys ?? [])
        {
            if (lastUsedAt.TryGetValue(key.Id, out var at) && (key.LastUsedAt is null || at > key.LastUsedAt))
            {
                key.LastUsedAt = at;
                changed = true;
            }
        }

        var current = status.Keys?.FirstOrDefault(k => k.Id == status.CurrentKeyId)?.LastUsedAt;
        if (current != status.LastUsedAt)
        {
            status.LastUsedAt = current;
            changed = true;
        }

        return changed;
    }
}
