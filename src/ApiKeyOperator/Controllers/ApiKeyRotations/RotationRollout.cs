using ApiKeyOperator.Api;
using ApiKeyOperator.Controllers.ApiKeys;
using ApiKeyOperator.Ledger;
using ApiKeyOperator.Rollouts;
using ApiKeyOperator.Runtime;
using Microsoft.Extensions.Logging;

namespace ApiKeyOperator.Controllers.ApiKeyRotations;

/// <summary>
/// Issuing → RollingOut → GracePeriod (or Succeeded for Emergency): freezes the dependents once the new key
/// is in the Secret, rolls each one exactly once (the annotation carries the key id), and advances only when
/// every dependent is Ready by the <c>kubectl rollout status</c> rules. Any failure ends the rotation with
/// nothing revoked.
/// </summary>
public sealed class RotationRollout(
    Workloads workloads,
    RotationStatusWriter status,
    RotationFailure failure,
    RotationMetrics metrics,
    AuditTrail audit,
    IEventRecorder events,
    TimeProvider time,
    ILogger<RotationRollout> logger)
{
    /// <summary>Issuing: wait for the ApiKey controller to put the new key in the Secret, then freeze the dependents.</summary>
    public async Task<ReconcileResult> AwaitIssuedAsync(ApiKeyRotation rotation, ApiKey apiKey, RotationSettings settings, CancellationToken cancellationToken)
    {
        var now = Time.TruncateToSeconds(time.GetUtcNow().UtcDateTime);
        var s = rotation.Status!;
        var current = apiKey.Status?.CurrentKeyId;

        if (current == s.NewKeyId)
        {
            var ns = rotation.Metadata.NamespaceProperty;
            var secretName = apiKey.Status?.SecretName ?? apiKey.Spec.SecretName;
            var explicitTargets = (apiKey.Spec.Rollout?.Targets ?? []).Select(t => new WorkloadRef(t.Kind, t.Name));
            var dependents = workloads.Discover(ns, secretName, apiKey.Spec.Rollout?.AutoDiscover ?? true, explicitTargets);
            var message = dependents.Count == 0
                ? $"key {s.NewKeyId} issued; no workload depends on Secret {secretName}"
                : $"key {s.NewKeyId} issued; rolling {dependents.Count} dependent(s): {string.Join(", ", dependents)}";
            var written = await status.WriteAsync(rotation, r =>
            {
                // Frozen here: a workload created later reads the new key anyway, and the set must not move under a restart.
                r.Status!.Phase = RotationPhases.RollingOut;
                r.Status.Targets = dependents.Select(d => new RolloutTargetStatus { Kind = d.Kind, Name = d.Name, Ready = false, Message = "waiting to roll" }).ToList();
                RotationConditions.InProgress(r, RotationPhases.RollingOut, message, now);
            }, cancellationToken);
            if (written is not null)
            {
                await events.NormalAsync(written, Reasons.Issued, message, cancellationToken);
            }

            return ReconcileResult.Done;
        }

        if (current != s.OldKeyId)
        {
            await failure.FailAsync(rotation, apiKey, "KeyChanged", $"ApiKey {apiKey.Metadata.Name} now holds key {current}, neither the key being replaced ({s.OldKeyId}) nor the new one ({s.NewKeyId}); start a new rotation", cancellationToken);
            return ReconcileResult.Done;
        }

        // The ApiKey controller has not issued yet (it may be stalled, e.g. on a Secret conflict): bounded by the rollout timeout.
        var timeline = new RotationTimeline(s.StartedAt ?? now, settings.RolloutTimeout, settings.GracePeriod);
        if (timeline.RolloutOverdue(now))
        {
            await failure.FailAsync(rotation, apiKey, Reasons.RolloutTimeout, $"key {s.NewKeyId} was not issued within {GoDuration.Format(settings.RolloutTimeout)} (ApiKey {apiKey.Metadata.Name} spec.rollout.timeout); check the ApiKey's conditions", cancellationToken);
            return ReconcileResult.Done;
        }

        return ReconcileResult.After(timeline.UntilRolloutDeadline(now));
    }

    /// <summary>RollingOut: roll what is not rolled, then judge readiness of all frozen dependents.</summary>
    public async Task<ReconcileResult> RollAsync(ApiKeyRotation rotation, ApiKey apiKey, RotationSettings settings, CancellationToken cancellationToken)
    {
        var now = Time.TruncateToSeconds(time.GetUtcNow().UtcDateTime);
        var s = rotation.Status!;
        var ns = rotation.Metadata.NamespaceProperty;
        var newKeyId = s.NewKeyId!;
        var timeline = new RotationTimeline(s.StartedAt ?? now, settings.RolloutTimeout, settings.GracePeriod);

        var observed = new List<RolloutTargetStatus>();
        foreach (var target in s.Targets ?? [])
        {
            var workload = new WorkloadRef(target.Kind, target.Name);
            var snapshot = workloads.Get(ns, workload);
            if (snapshot is null)
            {
                await failure.FailAsync(rotation, apiKey, Reasons.TargetNotFound, $"{workload} was deleted during the rollout; the old key {s.OldKeyId} stays valid", cancellationToken);
                return ReconcileResult.Done;
            }

            if (!snapshot.IsRolledTo(newKeyId))
            {
                if (!workloads.IsRollInFlight(ns, workload, newKeyId))
                {
                    await workloads.RollAsync(ns, workload, newKeyId, cancellationToken);
                    logger.LogInformation("Rotation {Namespace}/{Rotation} rolled {Workload} to key {KeyId}", ns, rotation.Metadata.Name, workload.ToString(), newKeyId);
                }

                observed.Add(Target(workload, false, $"rolling to key {newKeyId}"));
                continue;
            }

            if (snapshot.Rollout.IsFailed)
            {
                await failure.FailAsync(rotation, apiKey, snapshot.Rollout.Reason ?? Reasons.RotationFailed, $"{snapshot.Rollout.Message}; the old key {s.OldKeyId} stays valid", cancellationToken);
                return ReconcileResult.Done;
            }

            observed.Add(Target(workload, snapshot.Rollout.IsReady, snapshot.Rollout.Message));
        }

        if (observed.All(t => t.Ready))
        {
            return await CompleteRolloutAsync(rotation, apiKey, settings, timeline, observed, now, cancellationToken);
        }

        if (timeline.RolloutOverdue(now))
        {
            var waiting = string.Join(", ", observed.Where(t => !t.Ready).Select(t => $"{t.Kind}/{t.Name} ({t.Message})"));
            await failure.FailAsync(rotation, apiKey, Reasons.RolloutTimeout, $"not Ready within {GoDuration.Format(settings.RolloutTimeout)} (spec.rollout.timeout): {waiting}; the old key {s.OldKeyId} stays valid", cancellationToken);
            return ReconcileResult.Done;
        }

        var ready = observed.Count(t => t.Ready);
        await status.WriteAsync(rotation, r =>
        {
            r.Status!.Targets = observed;
            RotationConditions.InProgress(r, RotationPhases.RollingOut, $"{ready} of {observed.Count} dependents Ready on key {newKeyId}", now);
        }, cancellationToken);
        return ReconcileResult.After(timeline.UntilRolloutDeadline(now));
    }

    private async Task<ReconcileResult> CompleteRolloutAsync(
        ApiKeyRotation rotation, ApiKey apiKey, RotationSettings settings, RotationTimeline timeline, List<RolloutTargetStatus> observed, DateTime now,
        CancellationToken cancellationToken)
    {
        var s = rotation.Status!;
        var rolledOutAt = s.RolledOutAt ?? now;
        if (settings.RequireTraffic && !HasTraffic(apiKey, s.NewKeyId))
        {
            return await AwaitTrafficAsync(rotation, apiKey, settings, observed, rolledOutAt, now, cancellationToken);
        }

        var revokeAt = timeline.RevokeOldKeyAt(graceStartedAt: now);
        var message = settings.Emergency
            ? $"all {observed.Count} dependents Ready on key {s.NewKeyId}; old key {s.OldKeyId} was revoked at issuance"
            : $"all {observed.Count} dependents Ready on key {s.NewKeyId}{(settings.RequireTraffic ? " and it has served traffic" : "")}; old key {s.OldKeyId} is revoked at {ApiKeySecret.FormatTime(revokeAt)} after the {GoDuration.Format(settings.GracePeriod)} grace period";
        var written = await status.WriteAsync(rotation, r =>
        {
            var st = r.Status!;
            st.Targets = observed;
            st.RolledOutAt = rolledOutAt;
            if (settings.Emergency)
            {
                st.Phase = RotationPhases.Succeeded;
                st.CompletedAt = now;
                RotationConditions.Succeeded(r, message, now);
            }
            else
            {
                st.Phase = RotationPhases.GracePeriod;
                st.RevokeOldKeyAt = revokeAt;
                RotationConditions.InProgress(r, RotationPhases.GracePeriod, message, now);
            }
        }, cancellationToken);
        if (written is not null)
        {
            logger.LogInformation("Rotation {Namespace}/{Rotation} rolled out: {Message}", rotation.Metadata.NamespaceProperty, rotation.Metadata.Name, message);
            await events.NormalAsync(written, Reasons.RolledOut, message, cancellationToken);
            await audit.RecordAsync(AuditEventKinds.RolledOut, apiKey, s.NewKeyId, RotationActor.Of(rotation), rotation.Spec.Reason, rotation.Metadata.Name, message, cancellationToken);
            if (settings.Emergency)
            {
                metrics.Succeeded();
                await events.NormalAsync(apiKey, Reasons.RotationSucceeded, $"ApiKeyRotation {rotation.Metadata.Name} succeeded: {message}", cancellationToken);
            }
        }

        return settings.Emergency ? ReconcileResult.Done : ReconcileResult.After(settings.GracePeriod);
    }

    /// <summary>
    /// The traffic gate: every dependent is Ready, but the grace period starts only once the new key has been
    /// verified at least once (<c>status.usage[id].lastUsedAt</c>), so "Ready" also means "actually using the new key".
    /// </summary>
    private async Task<ReconcileResult> AwaitTrafficAsync(
        ApiKeyRotation rotation, ApiKey apiKey, RotationSettings settings, List<RolloutTargetStatus> observed, DateTime rolledOutAt, DateTime now,
        CancellationToken cancellationToken)
    {
        var s = rotation.Status!;
        var deadline = rolledOutAt + settings.TrafficTimeout;
        if (now >= deadline)
        {
            await failure.FailAsync(rotation, apiKey, Reasons.TrafficTimeout, $"key {s.NewKeyId} was not used within {GoDuration.Format(settings.TrafficTimeout)} (spec.trafficTimeout) after every dependent was Ready; the old key {s.OldKeyId} stays valid", cancellationToken);
            return ReconcileResult.Done;
        }

        var message = $"all {observed.Count} dependents Ready on key {s.NewKeyId}; waiting for its first verified use (until {ApiKeySecret.FormatTime(deadline)})";
        await status.WriteAsync(rotation, r =>
        {
            r.Status!.Targets = observed;
            r.Status.RolledOutAt = rolledOutAt;
            RotationConditions.InProgress(r, "WaitingForTraffic", message, now);
        }, cancellationToken);
        return ReconcileResult.After(deadline - now);
    }

    private static bool HasTraffic(ApiKey apiKey, string? keyId) =>
        keyId is not null && apiKey.Status?.Usage?.TryGetValue(keyId, out var usage) == true && usage?.LastUsedAt is not null;

    private static RolloutTargetStatus Target(WorkloadRef workload, bool ready, string message) =>
        new() { Kind = workload.Kind, Name = workload.Name, Ready = ready, Message = message };
}
