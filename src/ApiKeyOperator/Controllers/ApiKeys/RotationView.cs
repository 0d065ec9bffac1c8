using ApiKeyOperator.Api;
using ApiKeyOperator.Controllers.ApiKeyRotations;

namespace ApiKeyOperator.Controllers.ApiKeys;

/// <summary>
/// What the ApiKey controller reads from its ApiKey's rotations: the decisions they publish (a key to issue, the
/// instant an old key may be revoked, "revoke everything but key X") and how the last one ended. Rotations whose
/// spec changed after they were accepted, or that are being deleted, publish nothing.
/// </summary>
internal static class RotationView
{
    public static bool Counts(ApiKeyRotation rotation) => rotation.Metadata.DeletionTimestamp is null && RotationSpecs.IsUnchanged(rotation);

    /// <summary>Issuing or RollingOut: dependents may still run the old key.</summary>
    public static bool IsRollingOut(ApiKeyRotation rotation) =>
        Counts(rotation) && rotation.Status?.Phase is RotationPhases.Issuing or RotationPhases.RollingOut;

    /// <summary>The rotation in Issuing that asks for a key replacing <paramref name="currentKeyId"/>, Emergency first.</summary>
    public static ApiKeyRotation? Issuing(IReadOnlyList<ApiKeyRotation>? rotations, string? currentKeyId) =>
        rotations?
            .Where(r => Counts(r)
                && r.Status is { Phase: RotationPhases.Issuing, NewKeyId: { } newKeyId, OldKeyId: { } oldKeyId }
                && oldKeyId == currentKeyId
                && newKeyId != currentKeyId)
            .OrderByDescending(RotationQueue.IsEmergency)
            .FirstOrDefault();

    /// <summary>The Emergency rotation whose decision stands: every key but its new one is revoked (null until it has one).</summary>
    public static ApiKeyRotation? Emergency(IReadOnlyList<ApiKeyRotation>? rotations) =>
        RotationQueue.FirstInLine((rotations ?? []).Where(Counts)) is { } head && RotationQueue.IsEmergency(head)
            && (head.Status?.Phase is null or RotationPhases.Pending or RotationPhases.Issuing or RotationPhases.RollingOut)
            ? head
            : null;

    /// <summary>Rotations in GracePeriod: their old key may be revoked at revokeOldKeyAt.</summary>
    public static IEnumerable<ApiKeyRotation> InGrace(IReadOnlyList<ApiKeyRotation>? rotations) =>
        (rotations ?? []).Where(r => Counts(r) && r.Status is { Phase: RotationPhases.GracePeriod, RevokeOldKeyAt: not null });

    /// <summary>Whether an unfinished rotation still needs <paramref name="keyId"/> as its old key (so it is no leftover).</summary>
    public static bool Needs(IReadOnlyList<ApiKeyRotation>? rotations, string keyId) =>
        (rotations ?? []).Any(r => Counts(r) && !RotationPhases.IsFinished(r.Status?.Phase)
            && ((r.Status?.OldKeyId == keyId && RotationQueue.IsRunning(r))
                || (r.Metadata.Labels?.TryGetValue(ApiKeyPlanner.RestoresKeyLabel, out var restores) == true && restores == keyId)));

    public static ApiKeyRotation? Running(IReadOnlyList<ApiKeyRotation>? rotations) =>
        rotations?.Where(r => Counts(r) && RotationQueue.IsRunning(r)).OrderBy(r => r.Metadata.Name, StringComparer.Ordinal).FirstOrDefault();

    /// <summary>The most recently finished rotation, by completion time.</summary>
    public static ApiKeyRotation? LastFinished(IReadOnlyList<ApiKeyRotation>? rotations) =>
        rotations?
            .Where(r => RotationPhases.IsFinished(r.Status?.Phase))
            .OrderByDescending(r => r.Status!.CompletedAt ?? DateTime.MinValue)
            .ThenByDescending(r => r.Metadata.Name, StringComparer.Ordinal)
            .FirstOrDefault();

    public static bool IsEmergency(ApiKeyRotation rotation) => RotationQueue.IsEmergency(rotation);
}
