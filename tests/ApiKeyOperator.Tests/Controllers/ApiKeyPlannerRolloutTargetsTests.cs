using ApiKeyOperator.Api;
using ApiKeyOperator.Controllers.ApiKeys;
using ApiKeyOperator.Rollouts;
using Xunit;

namespace ApiKeyOperator.Tests.Controllers;

public sealed class ApiKeyPlannerRolloutTargetsTests
{
    private static readonly WorkloadRef Web = new(WorkloadKinds.Deployment, "web");
    private static readonly WorkloadRef Db = new(WorkloadKinds.StatefulSet, "db");

    private static PlannerFixture WithTargets(params WorkloadRef[] targets) => new(s => s.Rollout = new RolloutSpec
    {
        Targets = [.. targets.Select(t => new RolloutTarget { Kind = t.Kind, Name = t.Name })],
    });

    private static ApiKeyPlan Plan(PlannerFixture fixture, params WorkloadRef[] missing)
    {
        fixture.MissingTargets.Clear();
        fixture.MissingTargets.UnionWith(missing);
        return fixture.Plan();
    }

    [Fact]
    public void A_missing_target_is_a_false_condition_naming_the_field_and_the_key_is_still_issued()
    {
        var fixture = WithTargets(Web, Db);

        var plan = Plan(fixture, Db);

        Assert.NotNull(plan.SecretWrite);
        Assert.True(Conditions.IsTrue(plan.Status.Conditions, ConditionTypes.Ready));
        var condition = Conditions.Find(plan.Status.Conditions, ConditionTypes.RolloutTargetsFound)!;
        Assert.Equal((ConditionStatuses.False, Reasons.TargetNotFound), (condition.Status, condition.Reason));
        Assert.StartsWith("StatefulSet db (spec.rollout.targets[1]) does not exist in namespace payments.", condition.Message, StringComparison.Ordinal);
        Assert.Equal(1, condition.ObservedGeneration);
        var warning = Assert.Single(plan.Events, e => e.Reason == Reasons.TargetNotFound);
        Assert.True(warning.Warning);
    }

    [Fact]
    public void The_warning_is_recorded_once_while_nothing_changes_and_again_when_the_missing_set_changes()
    {
        var fixture = WithTargets(Web, Db);
        fixture.Apply(Plan(fixture, Db));

        var unchanged = Plan(fixture, Db);
        Assert.DoesNotContain(unchanged.Events, e => e.Reason == Reasons.TargetNotFound);

        var worse = Plan(fixture, Web, Db);
        Assert.Contains(worse.Events, e => e.Reason == Reasons.TargetNotFound && e.Message.Contains("Deployment web (spec.rollout.targets[0]), StatefulSet db (spec.rollout.targets[1]) do not exist", StringComparison.Ordinal));
    }

    [Fact]
    public void All_targets_present_is_true_and_removing_the_targets_removes_the_condition()
    {
        var fixture = WithTargets(Web);
        fixture.Apply(Plan(fixture, Web));

        var found = Plan(fixture);
        var condition = Conditions.Find(found.Status.Conditions, ConditionTypes.RolloutTargetsFound)!;
        Assert.Equal((ConditionStatuses.True, Reasons.TargetsFound), (condition.Status, condition.Reason));
        Assert.DoesNotContain(found.Events, e => e.Reason == Reasons.TargetNotFound);
        fixture.Apply(found);

        fixture.EditSpec(s => s.Rollout = new RolloutSpec());
        var none = Plan(fixture);
        Assert.Null(Conditions.Find(none.Status.Conditions, ConditionTypes.RolloutTargetsFound));
    }

    [Fact]
    public void Without_explicit_targets_there_is_no_condition()
    {
        var plan = Plan(new PlannerFixture());

        Assert.Null(Conditions.Find(plan.Status.Conditions, ConditionTypes.RolloutTargetsFound));
    }
}
