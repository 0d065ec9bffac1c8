using ApiKeyOperator.Api;
using ApiKeyOperator.Controllers.ApiKeyRotations;
using k8s.Models;
using Xunit;

namespace ApiKeyOperator.Tests.Controllers.ApiKeyRotations;

public sealed class RotationSettingsTests
{
    [Fact]
    public void Rotation_grace_period_overrides_the_api_key_default()
    {
        var apiKey = ApiKey(grace: "2h", timeout: "5m");

        Assert.True(RotationSettings.TryResolve(Rotation(grace: "168h"), apiKey, out var own, out _));
        Assert.Equal(TimeSpan.FromHours(168), own.GracePeriod);
        Assert.Equal(TimeSpan.FromMinutes(5), own.RolloutTimeout);

        Assert.True(RotationSettings.TryResolve(Rotation(grace: null), apiKey, out var inherited, out _));
        Assert.Equal(TimeSpan.FromHours(2), inherited.GracePeriod);

        Assert.True(RotationSettings.TryResolve(Rotation(grace: null), ApiKey(grace: null, timeout: "10m"), out var fallback, out _));
        Assert.Equal(RotationSettings.DefaultGracePeriod, fallback.GracePeriod);

        Assert.True(RotationSettings.TryResolve(Rotation(grace: "0s", strategy: RotationStrategies.Emergency), apiKey, out var emergency, out _));
        Assert.True(emergency.Emergency);
        Assert.Equal(TimeSpan.Zero, emergency.GracePeriod);
    }

    [Fact]
    public void Traffic_gate_comes_from_the_rotation_then_the_api_key_and_never_applies_to_emergency()
    {
        var apiKey = ApiKey(grace: null, timeout: "10m");
        apiKey.Spec.Rotation.RequireTraffic = true;
        apiKey.Spec.Rotation.TrafficTimeout = "15m";

        Assert.True(RotationSettings.TryResolve(Rotation(grace: null), apiKey, out var inherited, out _));
        Assert.True(inherited.RequireTraffic);
        Assert.Equal(TimeSpan.FromMinutes(15), inherited.TrafficTimeout);

        var optOut = Rotation(grace: null);
        optOut.Spec.RequireTraffic = false;
        optOut.Spec.TrafficTimeout = "2m";
        Assert.True(RotationSettings.TryResolve(optOut, apiKey, out var own, out _));
        Assert.False(own.RequireTraffic);
        Assert.Equal(TimeSpan.FromMinutes(2), own.TrafficTimeout);

        Assert.True(RotationSettings.TryResolve(Rotation(grace: null, RotationStrategies.Emergency), apiKey, out var emergency, out _));
        Assert.False(emergency.RequireTraffic);

        var bad = Rotation(grace: null);
        bad.Spec.TrafficTimeout = "0s";
        Assert.False(RotationSettings.TryResolve(bad, apiKey, out _, out var error));
        Assert.Contains("spec.trafficTimeout", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("soon", "10m", "Graceful", "spec.gracePeriod")]
    [InlineData("1h", "0s", "Graceful", "spec.rollout.timeout")]
    [InlineData("1h", "10m", "Sometimes", "spec.strategy")]
    public void Invalid_settings_name_the_field(string grace, string timeout, string strategy, string field)
    {
        Assert.False(RotationSettings.TryResolve(Rotation(grace, strategy), ApiKey(grace: null, timeout), out _, out var error));
        Assert.Contains(field, error, StringComparison.Ordinal);
    }

    private static ApiKeyRotation Rotation(string? grace, string strategy = RotationStrategies.Graceful) => new()
    {
        Metadata = new V1ObjectMeta { Name = "r", NamespaceProperty = "payments" },
        Spec = new ApiKeyRotationSpec { ApiKeyName = "billing", GracePeriod = grace, Strategy = strategy },
    };

    private static ApiKey ApiKey(string? grace, string timeout) => new()
    {
        Metadata = new V1ObjectMeta { Name = "billing", NamespaceProperty = "payments" },
        Spec = new ApiKeySpec
        {
            SecretName = "billing-key",
            Rotation = new ApiKeyRotationPolicy { GracePeriod = grace },
            Rollout = new RolloutSpec { Timeout = timeout },
        },
    };
}
