using ApiKeyOperator.Api;

namespace ApiKeyOperator.Controllers.ApiKeyRotations;

/// <summary>The kstatus view of each rotation state: Ready, Reconciling and Stalled set together.</summary>
public static class RotationConditions
{
    public static void InProgress(ApiKeyRotation rotation, string reason, string message, DateTime now) =>
        Set(rotation, ready: false, reconciling: true, stalled: false, reason, message, now);

    public static void Stalled(ApiKeyRotation rotation, string reason, string message, DateTime now) =>
        Set(rotation, ready: false, reconciling: false, stalled: true, reason, message, now);

    public static void Succeeded(ApiKeyRotation rotation, string message, DateTime now) =>
        Set(rotation, ready: true, reconciling: false, stalled: false, Reasons.RotationSucceeded, message, now);

    private static void Set(ApiKeyRotation rotation, bool ready, bool reconciling, bool stalled, string reason, string message, DateTime now)
    {
        var status = rotation.Status ??= new ApiKeyRotationStatus();
        var conditions = status.Conditions ??= [];
        var generation = rotation.Metadata.Generation;
        status.ObservedGeneration = generation;
        Conditions.Set(conditions, ConditionTypes.Ready, ready, reason, message, generation, now);
        Conditions.Set(conditions, ConditionTypes.Reconciling, reconciling, reason, message, generation, now);
        Conditions.Set(conditions, ConditionTypes.Stalled, stalled, reason, message, generation, now);
    }
}
