using ApiKeyOperator.Api;
using ApiKeyOperator.Controllers.ApiKeyRotations;
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
    /// The ApiKeyRotation to create now, or null. Its name is derived from the key it replaces, so a retry
    /// (or a second replica) can only hit AlreadyExists: one scheduled rotation per key, ever.
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
        if (busy)
        {
            return null;
        }

        return new ApiKeyRotation
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = apiKey.Metadata.NamespaceProperty,
                Labels = new Dictionary<string, string>
                {
                    [WellKnown.ApiKeyLabel] = apiKey.Metadata.Name,
                    [RotationActor.ScheduledLabel] = "true", // the audit trail credits the operator, not a user
                },
                OwnerReferences = [ApiKeySecret.OwnerReference(apiKey)],
            },
            Spec = new ApiKeyRotationSpec
            {
                ApiKeyName = apiKey.Metadata.Name,
                Strategy = RotationStrategies.Graceful,
                Reason = $"scheduled: spec.rotation.every is {apiKey.Spec.Rotation.Every}",
            },
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

    private static TimeSpan RolloutAllowance(ApiKeySpec spec)
    {
        var rollout = GoDuration.TryParse(spec.Rollout?.Timeout, out var timeout) ? timeout : TimeSpan.FromMinutes(10);
        var traffic = spec.Rotation?.RequireTraffic == true && GoDuration.TryParse(spec.Rotation.TrafficTimeout, out var wait) ? wait : TimeSpan.Zero;
        return rollout + traffic;
    }
}
