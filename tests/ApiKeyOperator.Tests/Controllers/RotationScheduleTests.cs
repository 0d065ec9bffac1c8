using ApiKeyOperator.Api;
using ApiKeyOperator.Controllers;
using ApiKeyOperator.Controllers.ApiKeys;
using k8s.Models;
using Xunit;

namespace ApiKeyOperator.Tests.Controllers;

/// <summary>
/// The bound on scheduled rotations per ApiKey (incident 2: 581 rotations in 30 s): whatever makes the schedule due
/// again at once, the operator creates at most one scheduled rotation per half of <c>every</c>, and never two within
/// <see cref="RotationSchedule.MinimumScheduledGap"/>.
/// </summary>
public sealed class RotationScheduleTests
{
    private static readonly DateTime Now = new(2026, 11, 23, 14, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData("720h", 360 * 3600)] // half of every
    [InlineData("40s", 30)] // never below the floor
    public void A_scheduled_rotation_due_again_at_once_waits_out_the_rate_limit(string every, int gapSeconds)
    {
        var apiKey = ApiKeyWith(every);
        var status = new ApiKeyStatus { CurrentKeyId = "0000bbbb", NextRotationAt = Now.AddHours(-1) }; // due, e.g. by a bug
        var gap = TimeSpan.FromSeconds(gapSeconds);
        var last = Scheduled(apiKey, "svc-0000aaaa", created: Now - gap + TimeSpan.FromSeconds(1));

        Assert.Null(RotationSchedule.Due(apiKey, status, [last], Now));
        Assert.Equal(last.Metadata.CreationTimestamp + gap, RotationSchedule.RateLimitedUntil(apiKey, [last], Now));

        var later = Now + TimeSpan.FromSeconds(1);
        Assert.Null(RotationSchedule.RateLimitedUntil(apiKey, [last], later));
        Assert.NotNull(RotationSchedule.Due(apiKey, status, [last], later));
    }

    [Fact]
    public void Only_rotations_this_apikeys_schedule_created_count_towards_its_rate_limit()
    {
        var apiKey = ApiKeyWith("720h");
        var status = new ApiKeyStatus { CurrentKeyId = "0000bbbb", NextRotationAt = Now };
        var byUser = Finished(new ApiKeyRotation { Metadata = new V1ObjectMeta { Name = "manual", CreationTimestamp = Now.AddSeconds(-1) } });
        var otherKeys = Scheduled(ApiKeyWith("720h", uid: "other-uid"), "other-0000cccc", Now.AddSeconds(-1));
        var restore = Scheduled(apiKey, "svc-restore-0000aaaa", Now.AddSeconds(-1));
        restore.Metadata.Labels[ApiKeyPlanner.RestoresKeyLabel] = "0000aaaa";

        Assert.Null(RotationSchedule.RateLimitedUntil(apiKey, [byUser, otherKeys, restore], Now));
        Assert.NotNull(RotationSchedule.Due(apiKey, status, [byUser, otherKeys, restore], Now));
    }

    private static ApiKey ApiKeyWith(string every, string uid = "ak-uid") => new()
    {
        Metadata = new V1ObjectMeta { Name = "svc", NamespaceProperty = "ns", Uid = uid },
        Spec = new ApiKeySpec { SecretName = "svc-key", Validity = "8760h", Rotation = new ApiKeyRotationPolicy { Every = every } },
    };

    private static ApiKeyRotation Scheduled(ApiKey owner, string name, DateTime created) => Finished(new ApiKeyRotation
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            CreationTimestamp = created,
            Labels = new Dictionary<string, string> { [WellKnown.ApiKeyLabel] = owner.Metadata.Name, [WellKnown.ScheduledLabel] = "true" },
            OwnerReferences = [ApiKeySecret.OwnerReference(owner)],
        },
    });

    private static ApiKeyRotation Finished(ApiKeyRotation rotation)
    {
        rotation.Metadata.NamespaceProperty = "ns";
        rotation.Spec = new ApiKeyRotationSpec { ApiKeyName = "svc", Strategy = RotationStrategies.Graceful };
        rotation.Status = new ApiKeyRotationStatus { Phase = RotationPhases.Succeeded };
        return rotation;
    }
}
