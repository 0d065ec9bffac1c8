using ApiKeyOperator.Api;

namespace ApiKeyOperator.Controllers.ApiKeys;

/// <summary>What the ApiKey controller reads from its ApiKey's rotations: which one wants a key, which runs, how the last ended.</summary>
internal static class RotationView
{
    public static bool IsRunning(ApiKeyRotation rotation) =>
        rotation.Metadata.DeletionTimestamp is null
        && rotation.Status?.Phase is RotationPhases.Issuing or RotationPhases.RollingOut or RotationPhases.GracePeriod;

    /// <summary>The rotation in Issuing that asks for a key replacing <paramref name="currentKeyId"/>, if any.</summary>
    public static ApiKeyRotation? Issuing(IReadOnlyList<ApiKeyRotation>? rotations, string? currentKeyId) =>
        rotations?.FirstOrDefault(r =>
            r.Metadata.DeletionTimestamp is null
            && r.Status is { Phase: RotationPhases.Issuing, NewKeyId: { } newKeyId, OldKeyId: { } oldKeyId }
            && oldKeyId == currentKeyId
            && newKeyId != currentKeyId);

    public static ApiKeyRotation? Running(IReadOnlyList<ApiKeyRotation>? rotations) =>
        rotations?.Where(IsRunning).OrderBy(r => r.Metadata.Name, StringComparer.Ordinal).FirstOrDefault();

    /// <summary>The most recently finished rotation, by completion time.</summary>
    public static ApiKeyRotation? LastFinished(IReadOnlyList<ApiKeyRotation>? rotations) =>
        rotations?
            .Where(r => RotationPhases.IsFinished(r.Status?.Phase))
            .OrderByDescending(r => r.Status!.CompletedAt ?? DateTime.MinValue)
            .ThenByDescending(r => r.Metadata.Name, StringComparer.Ordinal)
            .FirstOrDefault();

    public static bool IsEmergency(ApiKeyRotation rotation) => rotation.Spec.Strategy == RotationStrategies.Emergency;
}
