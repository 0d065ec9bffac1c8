using System.Collections.Concurrent;

namespace ApiKeyOperator.Security;

/// <summary>
/// A small time-bounded, size-bounded map; each entry has its own time to live (allow and deny answers are kept
/// for different times). When full, expired entries are swept; if it is still full the new entry is simply
/// not cached, so a flood of distinct keys costs lookups, never memory.
/// </summary>
internal sealed class ExpiringCache<TValue>(TimeProvider time, int capacity)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public int Count => _entries.Count;

    public bool TryGet(string key, out TValue value)
    {
        if (_entries.TryGetValue(key, out var entry) && entry.ExpiresAt > time.GetUtcNow())
        {
            value = entry.Value;
            return true;
        }

        value = default!;
        return false;
    }

    public void Set(string key, TValue value, TimeSpan timeToLive)
    {
        if (timeToLive <= TimeSpan.Zero)
        {
            return;
        }

        var now = time.GetUtcNow();
        if (_entries.Count >= capacity && !_entries.ContainsKey(key))
        {
            foreach (var (staleKey, stale) in _entries)
            {
                if (stale.ExpiresAt <= now)
                {
                    _entries.TryRemove(staleKey, out _);
                }
            }

            if (_entries.Count >= capacity)
            {
                return;
            }
        }

        _entries[key] = new Entry(value, now + timeToLive);
    }

    private readonly record struct Entry(TValue Value, DateTimeOffset ExpiresAt);
}
