using ApiKeyOperator.Api;

namespace ApiKeyOperator.Controllers.ApiKeyRotations;

/// <summary>
/// Which rotation of one ApiKey may act. An unfinished Emergency rotation always goes first (the newest one, as
/// it revokes every key before it); otherwise the rotation already past Pending keeps the key, else the oldest
/// waiting one (creation time, then name). Finished, deleting and spec-changed rotations never count.
/// </summary>
public static class RotationQueue
{
    public static bool IsRunning(ApiKeyRotation rotation) =>
        rotation.Status?.Phase is RotationPhases.Issuing or RotationPhases.RollingOut or RotationPhases.GracePeriod;

    public static bool IsEmergency(ApiKeyRotation rotation) => rotation.Spec.Strategy == RotationStrategies.Emergency;

    /// <summary>Still to act: not finished, not being deleted, spec as accepted.</summary>
    public static bool IsUnfinished(ApiKeyRotation rotation) =>
        !RotationPhases.IsFinished(rotation.Status?.Phase) && rotation.Metadata.DeletionTimestamp is null && RotationSpecs.IsUnchanged(rotation);

    /// <summary>The rotation that may act now among the rotations of one ApiKey, or null when none is waiting.</summary>
    public static ApiKeyRotation? FirstInLine(IEnumerable<ApiKeyRotation> rotationsOfOneApiKey)
    {
        ApiKeyRotation? newestEmergency = null;
        ApiKeyRotation? running = null;
        ApiKeyRotation? oldest = null;
        foreach (var rotation in rotationsOfOneApiKey)
        {
            if (!IsUnfinished(rotation))
            {
                continue;
            }

            if (IsEmergency(rotation) && (newestEmergency is null || Compare(rotation, newestEmergency) > 0))
            {
                newestEmergency = rotation;
            }

            if (IsRunning(rotation))
            {
                running ??= rotation;
            }
            else if (oldest is null || Compare(rotation, oldest) < 0)
            {
                oldest = rotation;
            }
        }

        return newestEmergency ?? running ?? oldest;
    }

    /// <summary>
    /// The Emergency rotation that overtakes <paramref name="rotation"/>, if any: for a started rotation, an Emergency
    /// created since it started; for a waiting Emergency, a newer Emergency. Such an Emergency counts while it is
    /// unfinished or once it has started (it revokes every key but its own new one).
    /// </summary>
    public static ApiKeyRotation? SupersededBy(ApiKeyRotation rotation, IEnumerable<ApiKeyRotation> rotationsOfOneApiKey)
    {
        var startedAt = rotation.Status?.StartedAt;
        foreach (var other in rotationsOfOneApiKey)
        {
            if (other.Metadata.Uid == rotation.Metadata.Uid || !IsEmergency(other) || other.Metadata.DeletionTimestamp is not null
                || !RotationSpecs.IsUnchanged(other) || !(IsUnfinished(other) || other.Status?.StartedAt is not null))
            {
                continue;
            }

            var overtakes = startedAt is { } started
                ? Time.Utc(other.Metadata.CreationTimestamp ?? DateTime.MinValue) >= Time.Utc(started) && (!IsEmergency(rotation) || Compare(other, rotation) > 0)
                : IsEmergency(rotation) && Compare(other, rotation) > 0;
            if (overtakes)
            {
                return other;
            }
        }

        return null;
    }

    /// <summary>The rotations of <paramref name="apiKeyName"/> in a namespace's list.</summary>
    public static IEnumerable<ApiKeyRotation> Of(IEnumerable<ApiKeyRotation> rotations, string apiKeyName) =>
        rotations.Where(r => r.Spec.ApiKeyName == apiKeyName);

    // Creation time, then name: the queue order.
    private static int Compare(ApiKeyRotation a, ApiKeyRotation b)
    {
        var byTime = Nullable.Compare<DateTime>(a.Metadata.CreationTimestamp is { } x ? Time.Utc(x) : null, b.Metadata.CreationTimestamp is { } y ? Time.Utc(y) : null);
        return byTime != 0 ? byTime : string.CompareOrdinal(a.Metadata.Name, b.Metadata.Name);
    }
}
