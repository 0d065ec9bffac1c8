using ApiKeyOperator.Api;
using ApiKeyOperator.Controllers.ApiKeys;
using ApiKeyOperator.Ledger;
using ApiKeyOperator.Runtime;
using Microsoft.Extensions.Logging;

namespace ApiKeyOperator.Controllers.ApiKeyRotations;

/// <summary>
/// GracePeriod → Succeeded: shows the coming revocation on the ApiKey's key record, and once
/// <c>revokeOldKeyAt</c> has passed revokes the retired key(s) — the ApiKey's status first, the rotation's
/// after, so a restart in between finds the key revoked and only finishes the rotation.
/// </summary>
public sealed class RotationRevocation(
    RotationStatusWriter status, RotationMetrics metrics, AuditTrail audit, IEventRecorder events, TimeProvider time, ILogger<RotationRevocation> logger)
{
    public async Task<ReconcileResult> HandleAsync(ApiKeyRotation rotation, ApiKey apiKey, CancellationToken cancellationToken)
    {
        var now = Time.TruncateToSeconds(time.GetUtcNow().UtcDateTime);
        var s = rotation.Status!;
        var revokeAt = s.RevokeOldKeyAt ?? now;

        if (now < revokeAt)
        {
            await status.WriteAsync(apiKey, k =>
            {
                foreach (var key in Retired(k))
                {
                    key.RevokeAt = revokeAt;
                }
            }, cancellationToken);
            return ReconcileResult.After(revokeAt - now);
        }

        var revoked = new List<string>();
        var updated = await status.WriteAsync(apiKey, k =>
        {
            revoked.Clear();
            foreach (var key in Retired(k))
            {
                key.State = KeyStates.Revoked;
                key.RevokedAt = now;
                key.RevokeAt = null;
                revoked.Add(key.Id);
            }
        }, cancellationToken);
        if (updated is not null && revoked.Count > 0)
        {
            logger.LogInformation("Rotation {Namespace}/{Rotation} revoked key(s) {KeyIds} of ApiKey {ApiKey}",
                rotation.Metadata.NamespaceProperty, rotation.Metadata.Name, string.Join(",", revoked), apiKey.Metadata.Name);
            await events.NormalAsync(updated, Reasons.Revoked, $"Revoked key(s) {string.Join(", ", revoked)} after the grace period of ApiKeyRotation {rotation.Metadata.Name}", cancellationToken);
            foreach (var keyId in revoked)
            {
                await audit.RecordAsync(AuditEventKinds.Revoked, updated, keyId, RotationActor.Of(rotation), "GracePeriodEnded", rotation.Metadata.Name, null, cancellationToken);
            }
        }

        var message = $"key {s.NewKeyId} is in use by every dependent; key {s.OldKeyId} revoked";
        var written = await status.WriteAsync(rotation, r =>
        {
            r.Status!.Phase = RotationPhases.Succeeded;
            r.Status.CompletedAt = now;
            RotationConditions.Succeeded(r, message, now);
        }, cancellationToken);
        if (written is not null)
        {
            metrics.Succeeded();
            await events.NormalAsync(written, Reasons.RotationSucceeded, message, cancellationToken);
            await events.NormalAsync(apiKey, Reasons.RotationSucceeded, $"ApiKeyRotation {rotation.Metadata.Name} succeeded: {message}", cancellationToken);
        }

        return ReconcileResult.Done;
    }

    // Every Retiring key but the current one: after a complete rollout no dependent reads any of them,
    // including keys left Retiring by an earlier rotation that failed or was deleted.
    private static IEnumerable<KeyRecord> Retired(ApiKey apiKey) =>
        (apiKey.Status?.Keys ?? []).Where(k => k.State == KeyStates.Retiring && k.Id != apiKey.Status?.CurrentKeyId);
}
