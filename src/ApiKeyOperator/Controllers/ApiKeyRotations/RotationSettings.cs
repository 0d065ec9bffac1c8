using ApiKeyOperator.Api;

namespace ApiKeyOperator.Controllers.ApiKeyRotations;

/// <summary>
/// A rotation's effective settings: its own spec first, then the ApiKey's <c>spec.rotation</c> and
/// <c>spec.rollout</c>. Parsed once, so an invalid duration fails the rotation with the field named.
/// </summary>
public sealed record RotationSettings(bool Emergency, TimeSpan GracePeriod, TimeSpan RolloutTimeout, bool RequireTraffic = false, TimeSpan TrafficTimeout = default)
{
    /// <summary>Grace period when neither the rotation nor the ApiKey sets one.</summary>
    public static readonly TimeSpan DefaultGracePeriod = TimeSpan.FromHours(1);

    public static bool TryResolve(ApiKeyRotation rotation, ApiKey apiKey, out RotationSettings settings, out string error)
    {
        settings = new RotationSettings(false, DefaultGracePeriod, TimeSpan.Zero);
        error = "";

        var (graceField, graceText) = rotation.Spec.GracePeriod is { } own
            ? ("spec.gracePeriod", own)
            : ($"ApiKey {apiKey.Metadata.Name} spec.rotation.gracePeriod", apiKey.Spec.Rotation?.GracePeriod);
        var grace = DefaultGracePeriod;
        if (graceText is not null && !GoDuration.TryParse(graceText, out grace, out var graceError))
        {
            error = $"{graceField}: {graceError}";
            return false;
        }

        var timeoutText = apiKey.Spec.Rollout?.Timeout ?? "10m";
        if (!GoDuration.TryParse(timeoutText, out var timeout, out var timeoutError) || timeout <= TimeSpan.Zero)
        {
            error = $"ApiKey {apiKey.Metadata.Name} spec.rollout.timeout: {timeoutError ?? "must be greater than 0s"}";
            return false;
        }

        if (rotation.Spec.Strategy is not (RotationStrategies.Graceful or RotationStrategies.Emergency))
        {
            error = $"spec.strategy: Unsupported value: \"{rotation.Spec.Strategy}\": supported values: \"Graceful\", \"Emergency\"";
            return false;
        }

        var (trafficField, trafficText) = rotation.Spec.TrafficTimeout is { } ownTraffic
            ? ("spec.trafficTimeout", ownTraffic)
            : ($"ApiKey {apiKey.Metadata.Name} spec.rotation.trafficTimeout", apiKey.Spec.Rotation?.TrafficTimeout ?? "1h");
        if (!GoDuration.TryParse(trafficText, out var trafficTimeout, out var trafficError) || trafficTimeout <= TimeSpan.Zero)
        {
            error = $"{trafficField}: {trafficError ?? "must be greater than 0s"}";
            return false;
        }

        var emergency = rotation.Spec.Strategy == RotationStrategies.Emergency;
        // The traffic gate protects the old key; an Emergency rotation has revoked it already.
        var requireTraffic = !emergency && (rotation.Spec.RequireTraffic ?? apiKey.Spec.Rotation?.RequireTraffic ?? false);
        settings = new RotationSettings(emergency, grace, timeout, requireTraffic, trafficTimeout);
        return true;
    }
}
