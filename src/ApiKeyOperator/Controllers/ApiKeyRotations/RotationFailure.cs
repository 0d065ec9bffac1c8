using ApiKeyOperator.Api;
using ApiKeyOperator.Controllers.ApiKeys;
using ApiKeyOperator.Runtime;
using Microsoft.Extensions.Logging;

namespace ApiKeyOperator.Controllers.ApiKeyRotations;

/// <summary>
/// Ends a rotation as Failed: Stalled=True with the reason, a Warning event on the rotation and its ApiKey.
/// It revokes nothing — a failed Graceful rotation leaves both keys valid.
/// </summary>
public sealed class RotationFailure(
    RotationStatusWriter status, RotationMetrics metrics, IEventRecorder events, TimeProvider time, ILogger<RotationFailure> logger)
{
    public async Task FailAsync(ApiKeyRotation rotation, ApiKey? apiKey, string reason, string message, CancellationToken cancellationToken)
    {
        var now = Time.TruncateToSeconds(time.GetUtcNow().UtcDateTime);
        var written = await status.WriteAsync(rotation, r =>
        {
            var s = r.Status ??= new ApiKeyRotationStatus();
            s.Phase = RotationPhases.Failed;
            s.CompletedAt = now;
            RotationConditions.Stalled(r, reason, message, now);
        }, cancellationToken);
        if (written is null)
        {
            return;
        }

        metrics.Failed();
        logger.LogWarning("Rotation {Namespace}/{Rotation} failed: {Reason}: {Message}",
            rotation.Metadata.NamespaceProperty, rotation.Metadata.Name, reason, message);
        await events.WarningAsync(written, reason, message, cancellationToken);
        if (apiKey is not null)
        {
            await events.WarningAsync(apiKey, Reasons.RotationFailed, $"ApiKeyRotation {rotation.Metadata.Name} failed ({reason}): {message}", cancellationToken);
        }
    }
}
