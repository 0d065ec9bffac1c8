using ApiKeyOperator.Api;
using ApiKeyOperator.Controllers.ApiKeys;
using ApiKeyOperator.Keys;
using ApiKeyOperator.Ledger;
using ApiKeyOperator.Rollouts;
using ApiKeyOperator.Runtime;
using Microsoft.Extensions.Logging;

namespace ApiKeyOperator.Controllers.ApiKeyRotations;

/// <summary>
/// Pending → Issuing: waits its turn, checks everything that can fail before a key exists (the ApiKey, the
/// settings, every explicit target), then allocates the new key id and persists it. The key itself is issued
/// by the ApiKey controller, the only writer of the Secret, when it sees the rotation in Issuing.
/// </summary>
public sealed class RotationStart(
    IObjectCache<ApiKeyRotation> rotations,
    Workloads workloads,
    KeyGenerator keys,
    RotationStatusWriter status,
    RotationFailure failure,
    AuditTrail audit,
    IEventRecorder events,
    TimeProvider time,
    ILogger<RotationStart> logger)
{
    public async Task<ReconcileResult> HandleAsync(ApiKeyRotation rotation, ApiKey? apiKey, CancellationToken cancellationToken)
    {
        var now = Time.TruncateToSeconds(time.GetUtcNow().UtcDateTime);
        var ns = rotation.Metadata.NamespaceProperty;

        if (apiKey is null)
        {
            await WaitAsync(rotation, stalled: true, Reasons.ApiKeyNotFound, $"ApiKey {rotation.Spec.ApiKeyName} (spec.apiKeyName) does not exist in namespace {ns}; the rotation starts when it appears", now, cancellationToken);
            return ReconcileResult.Done;
        }

        var first = RotationQueue.FirstInLine(RotationQueue.Of(rotations.List(ns), apiKey.Metadata.Name));
        if (first is not null && first.Metadata.Uid != rotation.Metadata.Uid)
        {
            await WaitAsync(rotation, stalled: false, Reasons.WaitingForRotation, $"waiting for ApiKeyRotation {first.Metadata.Name} of ApiKey {apiKey.Metadata.Name} to finish", now, cancellationToken);
            return ReconcileResult.Done;
        }

        if (apiKey.Metadata.DeletionTimestamp is not null)
        {
            await failure.FailAsync(rotation, apiKey, Reasons.ApiKeyNotFound, $"ApiKey {apiKey.Metadata.Name} is being deleted", cancellationToken);
            return ReconcileResult.Done;
        }

        if (!RotationSettings.TryResolve(rotation, apiKey, out _, out var invalid))
        {
            await failure.FailAsync(rotation, apiKey, Reasons.InvalidSpec, invalid, cancellationToken);
            return ReconcileResult.Done;
        }

        var oldKeyId = apiKey.Status?.CurrentKeyId;
        if (oldKeyId is null)
        {
            await WaitAsync(rotation, stalled: false, "WaitingForApiKey", $"ApiKey {apiKey.Metadata.Name} has no issued key yet", now, cancellationToken);
            return ReconcileResult.Done;
        }

        var missing = (apiKey.Spec.Rollout?.Targets ?? [])
            .Select(t => new WorkloadRef(t.Kind, t.Name))
            .Where(t => workloads.Get(ns, t) is null)
            .ToList();
        if (missing.Count > 0)
        {
            await failure.FailAsync(rotation, apiKey, Reasons.TargetNotFound, $"explicit rollout target {string.Join(", ", missing)} (ApiKey {apiKey.Metadata.Name} spec.rollout.targets) does not exist; no key was issued", cancellationToken);
            return ReconcileResult.Done;
        }

        var known = (apiKey.Status?.Keys ?? []).Select(k => k.Id).ToHashSet(StringComparer.Ordinal);
        var newKeyId = keys.NewKeyId();
        while (known.Contains(newKeyId))
        {
            newKeyId = keys.NewKeyId();
        }

        var message = $"issuing key {newKeyId} to replace {oldKeyId} ({rotation.Spec.Strategy})";
        var written = await status.WriteAsync(rotation, r =>
        {
            // The id is persisted before anything else happens: a restart issues exactly this key, never a second one.
            var s = r.Status ??= new ApiKeyRotationStatus();
            s.Phase = RotationPhases.Issuing;
            s.OldKeyId = oldKeyId;
            s.NewKeyId = newKeyId;
            s.StartedAt = now;
            RotationConditions.InProgress(r, RotationPhases.Issuing, message, now);
        }, cancellationToken);
        if (written is null)
        {
            return ReconcileResult.Done;
        }

        logger.LogInformation("Rotation {Namespace}/{Rotation} started: ApiKey {ApiKey} key {OldKeyId} -> {NewKeyId}, strategy {Strategy}",
            ns, rotation.Metadata.Name, apiKey.Metadata.Name, oldKeyId, newKeyId, rotation.Spec.Strategy);
        var because = string.IsNullOrWhiteSpace(rotation.Spec.Reason) ? "" : $" Reason: {rotation.Spec.Reason}";
        await events.NormalAsync(written, Reasons.RotationStarted, $"Rotation of ApiKey {apiKey.Metadata.Name} started: {message}.{because}", cancellationToken);
        await events.NormalAsync(apiKey, Reasons.RotationStarted, $"ApiKeyRotation {rotation.Metadata.Name} started: {message}.{because}", cancellationToken);
        await audit.RecordAsync(AuditEventKinds.RotationStarted, apiKey, oldKeyId, RotationActor.Of(rotation), rotation.Spec.Reason, rotation.Metadata.Name, message, cancellationToken);
        return ReconcileResult.Done;
    }

    private Task WaitAsync(ApiKeyRotation rotation, bool stalled, string reason, string message, DateTime now, CancellationToken cancellationToken) =>
        status.WriteAsync(rotation, r =>
        {
            (r.Status ??= new ApiKeyRotationStatus()).Phase = RotationPhases.Pending;
            if (stalled)
            {
                RotationConditions.Stalled(r, reason, message, now);
            }
            else
            {
                RotationConditions.InProgress(r, reason, message, now);
            }
        }, cancellationToken);
}
