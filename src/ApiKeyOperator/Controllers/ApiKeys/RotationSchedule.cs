using ApiKeyOperator.Api;
using k8s.Models;

namespace ApiKeyOperator.Controllers.ApiKeys;

/// <summary>
/// Scheduled rotation (<c>spec.rotation.every</c>): when the next one is due, the ApiKeyRotation to create
/// then, and which finished scheduled rotations fall out of <c>spec.rotation.historyLimit</c>.
/// </summary>
public static class RotationSchedule
{
    /// <summary>
    /// When the current key is to be rotated: <c>every</c> after it was issued, and never later than its
    /// expiry less the time a rollout may take (so the old key cannot expire under a dependent still using it).
    /// Null when there is no schedule. An Expired key (e.g. the operator was down) was due when it expired.
    /// </summary>
    public static DateTime? NextRotationAt(ApiKeySpec spec, KeyRecord? current)
    {
        if (spec.Rotation?.Every is not { } everyText || !GoDuration.TryParse(everyText, out var every) || current is null)
        {
            return null;
        }

        if (current.State == KeyStates.Expired)
        {
            return Time.Utc(current.ExpiresAt);
        }

        if (current.State != KeyStates.Active || current.CreatedAt is not { } createdAt)
        {
            return null;
        }

        var byInterval = Time.Utc(createdAt) + every;
        return Time.Utc(current.ExpiresAt) is { } expiresAt && expiresAt - RolloutAllowance(spec) is var latest && latest < byInterval
            ? latest
            : byInterval;
    }

    /// <summary>
    /// Scheduled rotations of one ApiKey start at most this often, whatever the spec says: a bound on any future
    /// bug that would make the schedule due again at once (the validity check refuses the known one).
    /// </summary>
    public static readonly TimeSpan MinimumScheduledGap = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The ApiKeyRotation to create now, or null. Its name is derived from the key it replaces, so a retry
    /// (or a second replica) can only hit AlreadyExists: one scheduled rotation per key, ever. Rate-limited to
    /// one per half of <c>every</c> (at least <see cref="MinimumScheduledGap"/>) per ApiKey.
    /// </summary>
    public static ApiKeyRotation? Due(ApiKey apiKey, ApiKeyStatus status, IReadOnlyList<ApiKeyRotation>? rotations, DateTime now)
    {
        if (status.NextRotationAt is not { } dueAt || Time.Utc(dueAt) > now || status.CurrentKeyId is not { } currentKeyId)
        {
            return null;
        }

        var name = NameFor(apiKey.Metadata.Name, currentKeyId);
        var busy = (rotations ?? []).Any(r =>
            r.Metadata.Name == name || (!RotationPhases.IsFinished(r.Status?.Phase) && r.Metadata.DeletionTimestamp is null));
        if (busy || RateLimitedUntil(apiKey, rotations, now) is not null)
        {
            return null;
        }

        return Owned(apiKey, name, RotationStrategies.Graceful, $"scheduled: spec.rotation.every is {apiKey.Spec.Rotation.Every}", restores: null);
    }

    /// <summary>The rotation that rolls dependents off a key lost from the Secret (already replaced there), then revokes it.</summary>
    public static ApiKeyRotation Restore(ApiKey apiKey, string lostKeyId)
    {
        var suffix = "-restore-" + lostKeyId;
        var name = apiKey.Metadata.Name.Length + suffix.Length <= 253 ? apiKey.Metadata.Name + suffix : apiKey.Metadata.Name[..(253 - suffix.Length)].TrimEnd('-', '.') + suffix;
        return Owned(apiKey, name, RotationStrategies.Graceful, $"restore: key {lostKeyId} was lost from Secret {apiKey.Spec.SecretName}", restores: lostKeyId);
    }

    /// <summary>
    /// Until when the schedule may not create another rotation: half of <c>every</c> after the last one the operator
    /// created for this ApiKey. Null when it may.
    /// </summary>
    public static DateTime? RateLimitedUntil(ApiKey apiKey, IReadOnlyList<ApiKeyRotation>? rotations, DateTime now)
    {
        var gap = GoDuration.TryParse(apiKey.Spec.Rotation?.Every, out var every) && every / 2 > MinimumScheduledGap ? every / 2 : MinimumScheduledGap;
        var last = (rotations ?? [])
            .Where(r => r.Metadata.Labels?.ContainsKey(WellKnown.ScheduledLabel) == true
                && r.Metadata.Labels?.ContainsKey(ApiKeyPlanner.RestoresKeyLabel) != true
                && r.Metadata.OwnerReferences?.Any(o => o.Controller == true && o.Uid == apiKey.Metadata.Uid) == true
                && r.Metadata.CreationTimestamp is not null)
            .Select(r => Time.Utc(r.Metadata.CreationTimestamp!.Value))
            .DefaultIfEmpty(DateTime.MinValue)
            .Max();
        return last != DateTime.MinValue && now - last < gap ? last + gap : null;
    }

    private static ApiKeyRotation Owned(ApiKey apiKey, string name, string strategy, string reason, string? restores)
    {
        var labels = new Dictionary<string, string>
        {
            [WellKnown.ApiKeyLabel] = apiKey.Metadata.Name,
            [WellKnown.ScheduledLabel] = "true",
        };
        if (restores is not null)
        {
            labels[ApiKeyPlanner.RestoresKeyLabel] = restores;
        }

        return new ApiKeyRotation
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = apiKey.Metadata.NamespaceProperty,
                Labels = labels,
                OwnerReferences = [ApiKeySecret.OwnerReference(apiKey)],
            },
            Spec = new ApiKeyRotationSpec { ApiKeyName = apiKey.Metadata.Name, Strategy = strategy, Reason = reason },
        };
    }

    /// <summary>
    /// Finished rotations this ApiKey's schedule created beyond <c>historyLimit</c>, oldest first. Rotations a
    /// user (or Git) created are never deleted: a GitOps tool would apply them again and they would re-run.
    /// </summary>
    public static IReadOnlyList<ApiKeyRotation> Expendable(ApiKey apiKey, IReadOnlyList<ApiKeyRotation>? rotations)
    {
        var finished = (rotations ?? [])
            .Where(r => RotationPhases.IsFinished(r.Status?.Phase)
                && r.Metadata.DeletionTimestamp is null
                && r.Metadata.OwnerReferences?.Any(o => o.Controller == true && o.Uid == apiKey.Metadata.Uid) == true)
            .OrderByDescending(r => r.Status!.CompletedAt ?? r.Metadata.CreationTimestamp ?? DateTime.MinValue)
            .ThenByDescending(r => r.Metadata.Name, StringComparer.Ordinal)
            .ToList();
        return [.. finished.Skip(Math.Max(0, apiKey.Spec.Rotation?.HistoryLimit ?? 5)).Reverse()];
    }

    public static string NameFor(string apiKeyName, string keyId)
    {
        var suffix = "-" + keyId;
        return apiKeyName.Length + suffix.Length <= 253 ? apiKeyName + suffix : apiKeyName[..(253 - suffix.Length)].TrimEnd('-', '.') + suffix;
    }

    internal static TimeSpan RolloutAllowance(ApiKeySpec spec)
    {
        var rollout = GoDuration.TryParse(spec.Rollout?.Timeout, out var timeout) ? timeout : TimeSpan.FromMinutes(10);
        var traffic = spec.Rotation?.RequireTraffic == true && GoDuration.TryParse(spec.Rotation.TrafficTimeout, out var wait) ? wait : TimeSpan.Zero;
        return rollout + traffic;
    }
}
