using ApiKeyOperator.Api;

namespace ApiKeyOperator.Controllers.ApiKeyRotations;

/// <summary>
/// One rotation per ApiKey at a time: the one already past Pending keeps the key; otherwise the oldest
/// unfinished rotation (creation time, then name) goes next. Finished rotations are history and never count.
/// </summary>
public static class RotationQueue
{
    public static bool IsRunning(ApiKeyRotation rotation) =>
        rotation.Status?.Phase is RotationPhases.Issuing or RotationPhases.RollingOut or RotationPhases.GracePeriod;

    /// <summary>The rotation that may run now among the rotations of one ApiKey, or null when none is waiting.</summary>
    public static ApiKeyRotation? FirstInLine(IEnumerable<ApiKeyRotation> rotationsOfOneApiKey)
    {
        var unfinished = rotationsOfOneApiKey
            .Where(r => !RotationPhases.IsFinished(r.Status?.Phase) && r.Metadata.DeletionTimestamp is null)
            .ToList();
        return unfinished.FirstOrDefault(IsRunning)
            ?? unfinished
                .OrderBy(r => r.Metadata.CreationTimestamp ?? DateTime.MaxValue)
                .ThenBy(r => r.Metadata.Name, StringComparer.Ordinal)
                .FirstOrDefault();
    }

    /// <summary>The rotations of <paramref name="apiKeyName"/> in a namespace's list.</summary>
    public static IEnumerable<ApiKeyRotation> Of(IEnumerable<ApiKeyRotation> rotations, string apiKeyName) =>
        rotations.Where(r => r.Spec.ApiKeyName == apiKeyName);
}
