using ApiKeyOperator.Api;
using k8s.Models;
using Xunit;

namespace ApiKeyOperator.Tests.Api;

public sealed class ConditionsTests
{
    private static readonly DateTime T0 = new(2026, 11, 23, 14, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime T1 = T0.AddMinutes(5);

    [Fact]
    public void Adding_a_condition_stamps_the_transition_time()
    {
        var conditions = new List<V1Condition>();

        Assert.True(Conditions.Set(conditions, ConditionTypes.Ready, true, Reasons.Issued, "issued", 1, T0));

        var ready = Assert.Single(conditions);
        Assert.Equal(("Ready", "True", "Issued", "issued", 1L, T0),
            (ready.Type, ready.Status, ready.Reason, ready.Message, ready.ObservedGeneration, ready.LastTransitionTime));
    }

    [Fact]
    public void Setting_the_same_condition_again_changes_nothing()
    {
        var conditions = new List<V1Condition>();
        Conditions.Set(conditions, ConditionTypes.Ready, true, Reasons.Issued, "issued", 1, T0);

        Assert.False(Conditions.Set(conditions, ConditionTypes.Ready, true, Reasons.Issued, "issued", 1, T1));
        Assert.Equal(T0, conditions[0].LastTransitionTime);
    }

    [Fact]
    public void Reason_message_or_generation_change_keeps_the_transition_time()
    {
        var conditions = new List<V1Condition>();
        Conditions.Set(conditions, ConditionTypes.Ready, true, Reasons.Issued, "issued", 1, T0);

        Assert.True(Conditions.Set(conditions, ConditionTypes.Ready, true, Reasons.ExpiryUpdated, "expiry moved", 2, T1));

        var ready = Assert.Single(conditions);
        Assert.Equal((Reasons.ExpiryUpdated, "expiry moved", 2L, T0), (ready.Reason, ready.Message, ready.ObservedGeneration, ready.LastTransitionTime));
    }

    [Fact]
    public void Status_change_moves_the_transition_time()
    {
        var conditions = new List<V1Condition>();
        Conditions.Set(conditions, ConditionTypes.Ready, true, Reasons.Issued, "issued", 1, T0);

        Assert.True(Conditions.Set(conditions, ConditionTypes.Ready, false, Reasons.Expired, "expired", 1, T1));

        Assert.Equal(("False", T1), (conditions[0].Status, conditions[0].LastTransitionTime));
        Assert.True(Conditions.IsFalse(conditions, ConditionTypes.Ready));
    }

    [Fact]
    public void Explicit_transition_time_is_honoured()
    {
        var conditions = new List<V1Condition>();
        var explicitTime = T0.AddDays(-1);

        Conditions.Set(conditions, new V1Condition { Type = "Ready", Status = "True", Reason = "Issued", Message = "", LastTransitionTime = explicitTime }, T0);

        Assert.Equal(explicitTime, conditions[0].LastTransitionTime);
    }

    [Fact]
    public void Conditions_are_kept_per_type()
    {
        var conditions = new List<V1Condition>();
        Conditions.Set(conditions, ConditionTypes.Ready, true, Reasons.Issued, "", 3, T0);
        Conditions.Set(conditions, ConditionTypes.Stalled, false, Reasons.Reconciled, "", 3, T0);

        Assert.Equal(2, conditions.Count);
        Assert.True(Conditions.IsTrue(conditions, ConditionTypes.Ready));
        Assert.False(Conditions.IsTrue(conditions, ConditionTypes.Stalled));
        Assert.Null(Conditions.Find(conditions, ConditionTypes.Rotating));
        Assert.False(Conditions.IsTrue(null, ConditionTypes.Ready));
    }

    [Fact]
    public void Remove_reports_whether_a_condition_was_there()
    {
        var conditions = new List<V1Condition>();
        Conditions.Set(conditions, ConditionTypes.Stalled, true, Reasons.InvalidSpec, "", 1, T0);

        Assert.True(Conditions.Remove(conditions, ConditionTypes.Stalled));
        Assert.False(Conditions.Remove(conditions, ConditionTypes.Stalled));
        Assert.Empty(conditions);
    }
}
