using ApiKeyOperator.Api;
using ApiKeyOperator.Controllers.ApiKeyRotations;
using k8s.Models;
using Xunit;

namespace ApiKeyOperator.Tests.Controllers.ApiKeyRotations;

public sealed class RotationQueueTests
{
    private static readonly DateTime T0 = new(2026, 11, 23, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Oldest_unfinished_rotation_goes_first_with_name_as_tie_breaker()
    {
        var rotations = new[]
        {
            Rotation("c", T0.AddMinutes(2)),
            Rotation("b", T0.AddMinutes(1)),
            Rotation("a", T0.AddMinutes(1)),
            Rotation("done", T0, RotationPhases.Succeeded),
            Rotation("failed", T0, RotationPhases.Failed),
        };

        Assert.Equal("a", RotationQueue.FirstInLine(rotations)?.Metadata.Name);
    }

    [Fact]
    public void A_running_rotation_keeps_the_key_even_when_an_older_one_waits()
    {
        var rotations = new[] { Rotation("older", T0, RotationPhases.Pending), Rotation("running", T0.AddHours(1), RotationPhases.RollingOut) };

        Assert.Equal("running", RotationQueue.FirstInLine(rotations)?.Metadata.Name);
        Assert.True(RotationQueue.IsRunning(rotations[1]));
        Assert.False(RotationQueue.IsRunning(rotations[0]));
    }

    [Fact]
    public void Deleting_and_finished_rotations_never_hold_the_line()
    {
        var deleting = Rotation("deleting", T0, RotationPhases.GracePeriod);
        deleting.Metadata.DeletionTimestamp = T0.AddMinutes(5);

        Assert.Equal("next", RotationQueue.FirstInLine([deleting, Rotation("next", T0.AddMinutes(1))])?.Metadata.Name);
        Assert.Null(RotationQueue.FirstInLine([Rotation("done", T0, RotationPhases.Succeeded)]));
    }

    [Fact]
    public void Of_selects_the_rotations_of_one_api_key()
    {
        var mine = Rotation("mine", T0);
        var other = Rotation("other", T0);
        other.Spec.ApiKeyName = "someone-else";

        Assert.Equal([mine], RotationQueue.Of([mine, other], "billing"));
    }

    private static ApiKeyRotation Rotation(string name, DateTime created, string? phase = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "payments", CreationTimestamp = created, Uid = name },
        Spec = new ApiKeyRotationSpec { ApiKeyName = "billing" },
        Status = new ApiKeyRotationStatus { Phase = phase },
    };
}
