using ApiKeyOperator.Api;
using Xunit;
using static ApiKeyOperator.Tests.Controllers.ApiKeyPlannerIssueTests;

namespace ApiKeyOperator.Tests.Controllers;

/// <summary>The Rotating condition when the running rotation is deleted instead of finishing.</summary>
public sealed class ApiKeyPlannerDeletedRotationTests
{
    [Fact]
    public void Deleting_the_running_rotation_ends_rotating_and_keeps_the_old_key_valid()
    {
        var fixture = new PlannerFixture();
        fixture.Step();
        var old = fixture.CurrentKey.Id;
        fixture.AddRotation("r1", RotationPhases.Issuing, "5eed5eed");
        fixture.Step();
        AssertCondition(fixture.ApiKey.Status, ConditionTypes.Rotating, "True", RotationPhases.Issuing);

        fixture.Rotations.Clear();
        fixture.Step();

        AssertCondition(fixture.ApiKey.Status, ConditionTypes.Rotating, "False", Reasons.Reconciled);
        Assert.Equal(KeyStates.Retiring, fixture.Key(old).State);
        Assert.False(fixture.Plan().HasWrites);
    }
}
