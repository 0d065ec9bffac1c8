using System.Collections.Concurrent;
using System.Globalization;
using ApiKeyOperator.Runtime;
using k8s;
using k8s.Models;

namespace ApiKeyOperator.Controllers;

/// <summary>
/// Read-your-writes for reconcilers that read informer caches: remembers what this process last wrote to each
/// object (resourceVersion and a fingerprint of the fields it owns) and tells a reconciler when the cache still
/// shows an older copy, so that it waits for the watch event instead of deciding on state its own write replaced
/// (controller-runtime users keep "expectations" for the same reason). A copy counts as caught up when it is the
/// written version, a later one (resourceVersions compared as numbers where both are), or shows the written
/// fields; an expectation is dropped after <see cref="Ttl"/> (<see cref="AbsentTtl"/> for an object the cache
/// does not show at all) so an object changed or deleted by others never wedges.
/// </summary>
public sealed class WriteExpectations(TimeProvider time)
{
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long an object this process wrote may be absent from the cache before it counts as deleted by someone
    /// else (a create the watch has not delivered yet, versus a deletion since).
    /// </summary>
    public static readonly TimeSpan AbsentTtl = TimeSpan.FromSeconds(3);

    private readonly ConcurrentDictionary<(Type Kind, ObjectKey Key), Expectation> _written = new();

    public void Wrote<T>(T written, string fingerprint) where T : IKubernetesObject<V1ObjectMeta> =>
        _written[(typeof(T), ObjectKey.Of(written))] = new Expectation(written.Metadata.ResourceVersion, fingerprint, time.GetUtcNow());

    public void Forget<T>(ObjectKey key) => _written.TryRemove((typeof(T), key), out _);

    /// <summary>Whether <paramref name="cached"/> is older than this process's last write of the object.</summary>
    public bool IsStale<T>(ObjectKey key, T? cached, Func<T, string> fingerprint) where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var slot = (typeof(T), key);
        if (!_written.TryGetValue(slot, out var expected))
        {
            return false;
        }

        var caughtUp = cached is not null
            && (cached.Metadata.ResourceVersion == expected.ResourceVersion
                || IsLater(cached.Metadata.ResourceVersion, expected.ResourceVersion)
                || fingerprint(cached) == expected.Fingerprint);
        var age = time.GetUtcNow() - expected.At;
        if (caughtUp || age >= Ttl || (cached is null && age >= AbsentTtl))
        {
            _written.TryRemove(KeyValuePair.Create(slot, expected));
            return false;
        }

        return true;
    }

    private static bool IsLater(string? cached, string? written) =>
        ulong.TryParse(cached, NumberStyles.None, CultureInfo.InvariantCulture, out var c)
        && ulong.TryParse(written, NumberStyles.None, CultureInfo.InvariantCulture, out var w)
        && c > w;

    private sealed record Expectation(string? ResourceVersion, string Fingerprint, DateTimeOffset At);
}
