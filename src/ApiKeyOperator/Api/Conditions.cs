using k8s.Models;

namespace ApiKeyOperator.Api;

/// <summary>
/// Condition helpers with the semantics of apimachinery's <c>meta.SetStatusCondition</c>: one condition per
/// type; <c>lastTransitionTime</c> moves only when <c>status</c> changes; reason, message and
/// observedGeneration are updated in place.
/// </summary>
public static class Conditions
{
    /// <summary>
    /// Sets <paramref name="condition"/> in <paramref name="conditions"/>; returns whether anything changed.
    /// A new condition, or a status change, takes <paramref name="condition"/>'s lastTransitionTime, or
    /// <paramref name="now"/> when it has none.
    /// </summary>
    public static bool Set(IList<V1Condition> conditions, V1Condition condition, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        ArgumentNullException.ThrowIfNull(condition);
        var existing = Find(conditions, condition.Type);
        if (existing is null)
        {
            conditions.Add(new V1Condition
            {
                Type = condition.Type,
                Status = condition.Status,
                Reason = condition.Reason,
                Message = condition.Message,
                ObservedGeneration = condition.ObservedGeneration,
                LastTransitionTime = TransitionTime(condition, now),
            });
            return true;
        }

        var changed = false;
        if (existing.Status != condition.Status)
        {
            existing.Status = condition.Status;
            existing.LastTransitionTime = TransitionTime(condition, now);
            changed = true;
        }

        if (existing.Reason != condition.Reason)
        {
            existing.Reason = condition.Reason;
            changed = true;
        }

        if (existing.Message != condition.Message)
        {
            existing.Message = condition.Message;
            changed = true;
        }

        if (existing.ObservedGeneration != condition.ObservedGeneration)
        {
            existing.ObservedGeneration = condition.ObservedGeneration;
            changed = true;
        }

        return changed;
    }

    /// <summary>Shorthand for <see cref="Set(IList{V1Condition}, V1Condition, DateTime)"/>.</summary>
    public static bool Set(
        IList<V1Condition> conditions, string type, bool status, string reason, string message, long? observedGeneration, DateTime now) =>
        Set(
            conditions,
            new V1Condition
            {
                Type = type,
                Status = ConditionStatuses.Of(status),
                Reason = reason,
                Message = message,
                ObservedGeneration = observedGeneration,
            },
            now);

    /// <summary>Removes the condition of <paramref name="type"/>; returns whether there was one.</summary>
    public static bool Remove(IList<V1Condition>? conditions, string type)
    {
        var existing = Find(conditions, type);
        return existing is not null && conditions!.Remove(existing);
    }

    public static V1Condition? Find(IEnumerable<V1Condition>? conditions, string type) =>
        conditions?.FirstOrDefault(c => c.Type == type);

    public static bool IsTrue(IEnumerable<V1Condition>? conditions, string type) =>
        Find(conditions, type)?.Status == ConditionStatuses.True;

    public static bool IsFalse(IEnumerable<V1Condition>? conditions, string type) =>
        Find(conditions, type)?.Status == ConditionStatuses.False;

    // V1Condition's LastTransitionTime is a non-nullable DateTime: default means "not given".
    private static DateTime TransitionTime(V1Condition condition, DateTime now) =>
        condition.LastTransitionTime == default ? now : condition.LastTransitionTime;
}
