using ApiKeyOperator.Api;
using ApiKeyOperator.Rollouts;
using k8s.Models;

namespace ApiKeyOperator.Controllers.ApiKeys;

/// <summary>
/// The ApiKey's <c>RolloutTargetsFound</c> condition: whether every workload named in <c>spec.rollout.targets</c>
/// exists. A typo in a target name shows as soon as the ApiKey is applied, not months later when a rotation fails on
/// it. The key itself is unaffected, so Ready does not change; the condition is absent when no target is named.
/// </summary>
public static class RolloutTargetsCondition
{
    /// <summary>
    /// Sets the condition from <paramref name="missing"/> (the named targets the caches do not hold). Returns the
    /// Warning to record when the condition has just turned False, or null.
    /// </summary>
    public static PlannedEvent? Set(
        IList<V1Condition> conditions, ApiKey apiKey, IReadOnlySet<WorkloadRef> missing, long? generation, DateTime now)
    {
        var targets = apiKey.Spec.Rollout?.Targets ?? [];
        if (targets.Count == 0)
        {
            Conditions.Remove(conditions, ConditionTypes.RolloutTargetsFound);
            return null;
        }

        var absent = targets
            .Select((target, index) => (Ref: new WorkloadRef(target.Kind, target.Name), Index: index))
            .Where(t => missing.Contains(t.Ref))
            .ToList();
        if (absent.Count == 0)
        {
            Conditions.Set(
                conditions, ConditionTypes.RolloutTargetsFound, true, Reasons.TargetsFound,
                targets.Count == 1 ? "The workload in spec.rollout.targets exists." : $"All {targets.Count} workloads in spec.rollout.targets exist.",
                generation, now);
            return null;
        }

        var wasFalse = Conditions.IsFalse(conditions, ConditionTypes.RolloutTargetsFound);
        var named = string.Join(", ", absent.Select(t => $"{t.Ref.Kind} {t.Ref.Name} (spec.rollout.targets[{t.Index}])"));
        var message = $"{named} {(absent.Count == 1 ? "does" : "do")} not exist in namespace {apiKey.Metadata.NamespaceProperty}. " +
            "A rotation of this ApiKey fails until it is created or the target is removed; the current key is not affected.";
        var changed = Conditions.Find(conditions, ConditionTypes.RolloutTargetsFound)?.Message != message;
        Conditions.Set(conditions, ConditionTypes.RolloutTargetsFound, false, Reasons.TargetNotFound, message, generation, now);
        return wasFalse && !changed ? null : new PlannedEvent(true, Reasons.TargetNotFound, message);
    }
}
