using System.Globalization;
using System.Text.Json.Nodes;
using ApiKeyOperator.Api;
using ApiKeyOperator.Runtime;
using Microsoft.Extensions.Logging;

namespace ApiKeyOperator.Usage;

/// <summary>
/// Writes what <see cref="UsageAggregator"/> collected into <c>status.usage[keyId].lastUsedAt</c> (and
/// <c>status.lastUsedAt</c>) by JSON merge patch: one patch per ApiKey per flush, never one per request. A key
/// is written when status shows no use of it yet (first use appears at once, for the rotation traffic gate), and
/// otherwise only once an interval of wall time has passed since status last changed for it (as this replica saw
/// it, or wrote it). Status is read from the informer cache, so a replica skips a key another replica wrote
/// recently: at most one write per active key per interval for the whole installation, and lastUsedAt trails the
/// last use by at most an interval and a tick. Deterministic:
/// the caller passes the time (tests step it; <see cref="UsageFlushService"/> runs it on a timer).
/// </summary>
public sealed partial class UsageFlusher(
    UsageAggregator aggregator, IObjectCache<ApiKey> apiKeys, IResourceClient<ApiKey> client, UsageOptions options, ILogger<UsageFlusher> logger)
{
    // What this replica wrote last per key, for the moment between its write and the cache showing it.
    private readonly Dictionary<UsageKey, DateTime> _written = [];

    // Per key, the last value status showed and when this replica first saw it (or wrote it): writes of a key are
    // spaced by at least an interval of wall time, whichever replica made the last one.
    private readonly Dictionary<UsageKey, (DateTime Shown, DateTime SeenAt)> _seen = [];

    // ApiKeys whose last write failed: retried after an interval, so a failing API server is not hammered.
    private readonly Dictionary<(string Namespace, string ApiKey), DateTime> _retryAt = [];

    /// <summary>Writes every due key; returns the number of status patches sent. Not reentrant (one loop calls it).</summary>
    public async Task<int> FlushAsync(DateTime now, CancellationToken cancellationToken)
    {
        var patches = 0;
        foreach (var group in aggregator.Snapshot().GroupBy(p => (p.Key.Namespace, p.Key.ApiKey)))
        {
            if (_retryAt.TryGetValue(group.Key, out var retryAt) && now < retryAt)
            {
                continue;
            }

            var apiKey = apiKeys.Get(new ObjectKey(group.Key.Namespace, group.Key.ApiKey));
            var due = new Dictionary<UsageKey, DateTime>();
            foreach (var (key, used) in group)
            {
                var at = WholeSeconds(used);
                if (apiKey?.Status?.Keys?.Any(k => k.Id == key.KeyId) != true)
                {
                    aggregator.Settle(key, used); // the ApiKey or the key is gone: nothing to show it on
                    continue;
                }

                var shown = Latest(Shown(apiKey, key.KeyId), _written.TryGetValue(key, out var mine) ? mine : null);
                if (shown is { } value && (!_seen.TryGetValue(key, out var seen) || seen.Shown != value))
                {
                    _seen[key] = (value, now);
                }

                if (shown >= at)
                {
                    aggregator.Settle(key, used);
                }
                else if (shown is null || now - _seen[key].SeenAt >= options.Interval)
                {
                    due[key] = at;
                }
            }

            if (due.Count > 0 && await PatchAsync(apiKey!, due, cancellationToken))
            {
                patches++;
                _retryAt.Remove(group.Key);
                foreach (var (key, at) in due)
                {
                    _written[key] = at;
                    _seen[key] = (at, now);
                    aggregator.Settle(key, group.First(p => p.Key == key).Value);
                }
            }
            else if (due.Count > 0)
            {
                _retryAt[group.Key] = now + options.Interval;
            }
        }

        // A write the cache shows, or one older than an interval, no longer needs remembering.
        foreach (var (key, at) in _written.ToList())
        {
            if (now - at >= options.Interval * 2)
            {
                _written.Remove(key);
            }
        }

        foreach (var (key, seen) in _seen.ToList())
        {
            if (now - seen.SeenAt >= options.Interval * 2)
            {
                _seen.Remove(key);
            }
        }

        return patches;
    }

    private async Task<bool> PatchAsync(ApiKey apiKey, Dictionary<UsageKey, DateTime> due, CancellationToken cancellationToken)
    {
        var usage = new JsonObject();
        foreach (var (key, at) in due)
        {
            usage[key.KeyId] = new JsonObject { ["lastUsedAt"] = Format(at) };
        }

        // Entries of keys that left the history are removed (null in a merge patch): the map stays bounded.
        var listed = (apiKey.Status?.Keys ?? []).Select(k => k.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var stale in (apiKey.Status?.Usage?.Keys ?? []).Where(id => !listed.Contains(id)))
        {
            usage[stale] = null;
        }

        var latest = Latest(apiKey.Status?.LastUsedAt, due.Values.Max())!.Value;
        var patch = new JsonObject { ["status"] = new JsonObject { ["usage"] = usage, ["lastUsedAt"] = Format(latest) } };
        var name = ObjectKey.Of(apiKey);
        try
        {
            await client.PatchStatusAsync(name, patch.ToJsonString(), cancellationToken).ConfigureAwait(false);
            LogWritten(name.ToString(), due.Count);
            return true;
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e))
        {
            return true; // deleted meanwhile: nothing to show usage on
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(name.ToString(), e.Message);
            return false;
        }
    }

    private static DateTime? Shown(ApiKey apiKey, string keyId) =>
        apiKey.Status?.Usage is { } usage && usage.TryGetValue(keyId, out var entry) && entry?.LastUsedAt is { } at ? Utc(at) : null;

    private static DateTime? Latest(DateTime? a, DateTime? b) => a is null ? b : b is null ? a : (a > b ? a : b);

    private static DateTime Utc(DateTime time) => time.Kind == DateTimeKind.Utc ? time : DateTime.SpecifyKind(time.ToUniversalTime(), DateTimeKind.Utc);

    // Whole seconds, as every other timestamp in status.
    private static DateTime WholeSeconds(DateTime time) => new(Utc(time).Ticks - (Utc(time).Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);

    private static string Format(DateTime time) => Utc(time).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Debug, Message = "ApiKey {ApiKey}: wrote last use of {Keys} key(s) to status")]
    private partial void LogWritten(string apiKey, int keys);

    [LoggerMessage(Level = LogLevel.Warning, Message = "ApiKey {ApiKey}: writing last use to status failed ({Error}); retrying after the flush interval")]
    private partial void LogFailed(string apiKey, string error);
}
