using ApiKeyOperator.Api;
using ApiKeyOperator.Controllers.ApiKeys;
using ApiKeyOperator.Rollouts;

namespace ApiKeyOperator.Controllers.ApiKeyRotations;

/// <summary>
/// The rotation controller's decisions as a pure function of what was observed and the time: Pending → Issuing →
/// RollingOut → GracePeriod → Succeeded, or Failed. The rotation only publishes decisions in its own status (the
/// new key id, <c>revokeOldKeyAt</c>, <c>revokeAllBut</c>); the ApiKey controller issues and revokes. A finished
/// rotation is history; a rotation whose spec changed is refused.
/// </summary>
public static class RotationPlanner
{
    public static RotationPlan Plan(RotationObservation observed)
    {
        var rotation = observed.Rotation;
        if (rotation.Metadata.DeletionTimestamp is not null)
        {
            return new RotationPlan();
        }

        var draft = new RotationDraft(observed);
        if (!RotationSpecs.IsUnchanged(rotation))
        {
            return SpecChanged(draft);
        }

        if (RotationPhases.IsFinished(draft.Status.Phase))
        {
            return draft.Result();
        }

        draft.Status.SpecHash ??= RotationSpecs.Hash(rotation.Spec);
        return draft.Status.Phase switch
        {
            RotationPhases.Issuing => Running(draft, observed, AwaitIssued),
            RotationPhases.RollingOut => Running(draft, observed, RollOut),
            RotationPhases.GracePeriod => Running(draft, observed, AwaitRevocation),
            _ => Start(draft, observed),
        };
    }

    /// <summary>The spec no longer matches what the rotation was accepted with: act on nothing, say why.</summary>
    private static RotationPlan SpecChanged(RotationDraft draft)
    {
        const string message = "spec changed after the rotation was accepted, and ApiKeyRotation.spec is immutable: the operator does not act on it. " +
            "Create a new ApiKeyRotation instead";
        var conditions = draft.Status.Conditions ??= [];
        var generation = draft.Rotation.Metadata.Generation;
        draft.Status.ObservedGeneration = generation;
        Conditions.Set(conditions, ConditionTypes.Stalled, true, Reasons.SpecChanged, Sentence(message), generation, draft.Now);
        Conditions.Set(conditions, ConditionTypes.Reconciling, false, Reasons.SpecChanged, Sentence(message), generation, draft.Now);
        return draft.Result();
    }

    private static RotationPlan Start(RotationDraft draft, RotationObservation observed)
    {
        var apiKey = observed.ApiKey;
        var ns = draft.Rotation.Metadata.NamespaceProperty;
        if (apiKey is null)
        {
            draft.Waiting(stalled: true, Reasons.ApiKeyNotFound, $"ApiKey {draft.ApiKeyName} (spec.apiKeyName) does not exist in namespace {ns}; the rotation starts when it appears.");
            return draft.Result();
        }

        if (apiKey.Metadata.DeletionTimestamp is not null)
        {
            draft.Fail(Reasons.ApiKeyNotFound, $"ApiKey {draft.ApiKeyName} is being deleted, which revokes all its keys; there is nothing to rotate.");
            return draft.Result();
        }

        if (RotationQueue.SupersededBy(draft.Rotation, observed.Siblings) is { } newer)
        {
            draft.Status.SupersededBy = newer.Metadata.Name;
            draft.Fail(Reasons.Superseded, $"Emergency ApiKeyRotation {newer.Metadata.Name} superseded this one before it started; it revokes every earlier key.");
            return draft.Result();
        }

        var head = RotationQueue.FirstInLine(observed.Siblings.Append(draft.Rotation).DistinctBy(r => r.Metadata.Uid));
        if (head is not null && head.Metadata.Uid != draft.Rotation.Metadata.Uid)
        {
            // One message whatever the head is: a waiting rotation is not rewritten when the head of the queue changes.
            draft.Waiting(stalled: false, Reasons.WaitingForRotation, $"Waiting for the running rotation of ApiKey {draft.ApiKeyName} to finish; the rotations of one ApiKey run one at a time.");
            return draft.Result();
        }

        var current = apiKey.Status?.Keys?.FirstOrDefault(k => k.Id == apiKey.Status.CurrentKeyId);
        var problems = SpecValidator.Validate(apiKey.Spec, current, draft.Now);
        if (problems.Count > 0)
        {
            draft.Waiting(stalled: true, Reasons.ApiKeyNotReady, $"ApiKey {draft.ApiKeyName} has an invalid spec ({string.Join("; ", problems)}); the rotation starts once it is fixed. No key was issued.");
            return draft.Result();
        }

        if (!RotationSettings.TryResolve(draft.Rotation, apiKey, out _, out var invalid))
        {
            draft.Fail(Reasons.InvalidSpec, Sentence(invalid) + " No key was issued.");
            return draft.Result();
        }

        if (Conditions.Find(apiKey.Status?.Conditions, ConditionTypes.Stalled) is { Status: ConditionStatuses.True } stalled
            && stalled.ObservedGeneration == apiKey.Metadata.Generation)
        {
            draft.Waiting(stalled: true, Reasons.ApiKeyNotReady, $"ApiKey {draft.ApiKeyName} is stalled ({stalled.Reason}): {Sentence(stalled.Message)} The rotation starts once it is resolved.");
            return draft.Result();
        }

        if (apiKey.Status?.CurrentKeyId is not { } oldKeyId)
        {
            draft.Waiting(stalled: false, Reasons.WaitingForApiKey, $"ApiKey {draft.ApiKeyName} has no issued key yet; the rotation starts once it has one.");
            return draft.Result();
        }

        if (FailBeforeIssuing(draft, observed, apiKey))
        {
            return draft.Result();
        }

        var emergency = RotationQueue.IsEmergency(draft.Rotation);
        var newKeyId = observed.CandidateKeyId;
        if (RestoredKey(draft.Rotation, observed) is { } lost)
        {
            // The operator's own restore: the ApiKey controller already put a fresh key in the Secret when the old one
            // was lost from it; this rotation rolls the dependents onto it, then the lost key is revoked after the grace period.
            (oldKeyId, newKeyId, emergency) = (lost, oldKeyId, false);
        }

        var status = draft.Status;
        status.Phase = RotationPhases.Issuing;
        status.OldKeyId = oldKeyId;
        status.NewKeyId = newKeyId; // persisted before anything else: a restart issues exactly this key, never a second one
        status.StartedAt = draft.Now;
        status.RevokeAllBut = emergency ? newKeyId : null;
        var message = emergency
            ? $"Issuing key {newKeyId} to replace key {oldKeyId}; Emergency: every other key of ApiKey {draft.ApiKeyName} is revoked now."
            : $"Issuing key {newKeyId} to replace key {oldKeyId}; key {oldKeyId} stays valid until every dependent runs the new key and the grace period ends.";
        draft.InProgress(RotationPhases.Issuing, message);
        var because = string.IsNullOrWhiteSpace(draft.Rotation.Spec.Reason) ? "" : $" Reason: {draft.Rotation.Spec.Reason}";
        draft.Event(false, Reasons.RotationStarted, $"Rotation of ApiKey {draft.ApiKeyName} started ({draft.Rotation.Spec.Strategy}). {message}{because}");
        draft.Audit(AuditKinds.RotationStarted, oldKeyId, message);
        return draft.Result();
    }

    /// <summary>Everything that can be known before a key exists is checked before one is issued.</summary>
    private static bool FailBeforeIssuing(RotationDraft draft, RotationObservation observed, ApiKey apiKey)
    {
        var missing = (apiKey.Spec.Rollout?.Targets ?? [])
            .Select(t => new WorkloadRef(t.Kind, t.Name))
            .Where(t => !observed.Workloads.ContainsKey(t))
            .ToList();
        if (missing.Count > 0)
        {
            draft.Fail(Reasons.TargetNotFound, $"Explicit rollout target {string.Join(", ", missing)} (ApiKey {draft.ApiKeyName} spec.rollout.targets) does not exist. No key was issued.");
            return true;
        }

        foreach (var dependent in observed.Dependents)
        {
            if (observed.Workloads.TryGetValue(dependent, out var snapshot) && snapshot.Rollout.IsFailed)
            {
                draft.Fail(snapshot.Rollout.Reason ?? Reasons.RotationFailed, $"{Sentence(snapshot.Rollout.Message)} {dependent} could not roll to a new key. No key was issued.");
                return true;
            }
        }

        return false;
    }

    /// <summary>Checks every started rotation shares, then the phase's own step.</summary>
    private static RotationPlan Running(
        RotationDraft draft, RotationObservation observed, Func<RotationDraft, RotationObservation, ApiKey, RotationSettings, RotationPlan> phase)
    {
        var apiKey = observed.ApiKey;
        if (apiKey is null || apiKey.Metadata.DeletionTimestamp is not null)
        {
            draft.Fail(Reasons.ApiKeyNotFound, $"ApiKey {draft.ApiKeyName} was deleted during the rotation; deleting it revokes all its keys.");
            return draft.Result();
        }

        if (RotationQueue.SupersededBy(draft.Rotation, observed.Siblings) is { } emergency)
        {
            draft.Status.SupersededBy = emergency.Metadata.Name;
            draft.Fail(Reasons.Superseded, $"Emergency ApiKeyRotation {emergency.Metadata.Name} superseded this rotation and revokes every key but its own new one; this rotation revokes nothing.");
            return draft.Result();
        }

        if (!RotationSettings.TryResolve(draft.Rotation, apiKey, out var settings, out var invalid))
        {
            draft.Fail(Reasons.InvalidSpec, Sentence(invalid));
            return draft.Result();
        }

        return phase(draft, observed, apiKey, settings);
    }

    /// <summary>Issuing: the ApiKey controller puts the new key in the Secret; then the dependents are frozen.</summary>
    private static RotationPlan AwaitIssued(RotationDraft draft, RotationObservation observed, ApiKey apiKey, RotationSettings settings)
    {
        var s = draft.Status;
        var current = apiKey.Status?.CurrentKeyId;
        if (current == s.NewKeyId)
        {
            // Frozen here and persisted before any roll: a workload created later reads the new key anyway, and the
            // set must not move under a restart.
            var dependents = observed.Dependents;
            var secretName = apiKey.Status?.SecretName ?? apiKey.Spec.SecretName;
            s.Phase = RotationPhases.RollingOut;
            s.Targets = dependents.Select(d => new RolloutTargetStatus { Kind = d.Kind, Name = d.Name, Ready = false, Message = "Waiting to roll." }).ToList();
            var message = dependents.Count == 0
                ? $"Key {s.NewKeyId} is in Secret {secretName}; no workload depends on the Secret, so there is nothing to roll."
                : $"Key {s.NewKeyId} is in Secret {secretName}; rolling {Count(dependents.Count, "dependent")}: {string.Join(", ", dependents)}.";
            draft.InProgress(RotationPhases.RollingOut, message);
            return draft.Result();
        }

        if (current != s.OldKeyId)
        {
            draft.Fail(Reasons.KeyChanged, $"ApiKey {draft.ApiKeyName} now holds key {current ?? "(none)"}, neither the key being replaced ({s.OldKeyId}) nor the new one ({s.NewKeyId}). Start a new rotation.");
            return draft.Result();
        }

        var timeline = new RotationTimeline(Time.Utc(s.StartedAt ?? draft.Now), settings.RolloutTimeout, settings.GracePeriod);
        if (timeline.RolloutOverdue(draft.ExactNow))
        {
            draft.Fail(Reasons.RolloutTimeout, $"Key {s.NewKeyId} was not issued within {GoDuration.Format(settings.RolloutTimeout)} (ApiKey {draft.ApiKeyName} spec.rollout.timeout); see the ApiKey's conditions. Key {s.OldKeyId} stays valid.");
            return draft.Result();
        }

        // The ApiKey controller may be unable to issue (a Secret it does not own, an invalid spec): say so, still bounded by the timeout.
        if (Conditions.Find(apiKey.Status?.Conditions, ConditionTypes.Stalled) is { Status: ConditionStatuses.True } stalled)
        {
            draft.Conditions(ready: false, reconciling: false, stalled: true, Reasons.ApiKeyNotReady,
                $"ApiKey {draft.ApiKeyName} cannot issue key {s.NewKeyId}: {Sentence(stalled.Message)} The rotation fails at {Format(timeline.RolloutDeadline)} unless this is resolved.");
        }

        return draft.Result(requeueAfter: timeline.UntilRolloutDeadline(draft.ExactNow));
    }

    /// <summary>RollingOut: roll what is not rolled (each workload once per key), then judge readiness of every frozen dependent.</summary>
    private static RotationPlan RollOut(RotationDraft draft, RotationObservation observed, ApiKey apiKey, RotationSettings settings)
    {
        var s = draft.Status;
        var newKeyId = s.NewKeyId!;
        if (apiKey.Status?.CurrentKeyId != newKeyId)
        {
            draft.Fail(Reasons.KeyChanged, $"ApiKey {draft.ApiKeyName} now holds key {apiKey.Status?.CurrentKeyId ?? "(none)"}, not key {newKeyId} this rotation rolls out. Key {s.OldKeyId} is left as it is.");
            return draft.Result();
        }

        var timeline = new RotationTimeline(Time.Utc(s.StartedAt ?? draft.Now), settings.RolloutTimeout, settings.GracePeriod);
        var targets = new List<RolloutTargetStatus>();
        var rolls = new List<WorkloadRef>();
        foreach (var target in s.Targets ?? [])
        {
            var workload = new WorkloadRef(target.Kind, target.Name);
            if (!observed.Workloads.TryGetValue(workload, out var snapshot))
            {
                draft.Fail(Reasons.TargetNotFound, $"{workload} was deleted during the rollout. Key {s.OldKeyId} stays valid.");
                return draft.Result();
            }

            if (!snapshot.IsRolledTo(newKeyId))
            {
                if (!observed.RollsInFlight.Contains(workload))
                {
                    rolls.Add(workload);
                }

                targets.Add(Target(workload, false, $"Rolling to key {newKeyId}."));
                continue;
            }

            if (snapshot.Rollout.IsFailed)
            {
                draft.Fail(snapshot.Rollout.Reason ?? Reasons.RotationFailed, $"{Sentence(snapshot.Rollout.Message)} Key {s.OldKeyId} stays valid.");
                return draft.Result();
            }

            targets.Add(Target(workload, snapshot.Rollout.IsReady, Sentence(snapshot.Rollout.Message)));
        }

        if (targets.All(t => t.Ready))
        {
            return CompleteRollout(draft, apiKey, settings, targets);
        }

        if (timeline.RolloutOverdue(draft.ExactNow))
        {
            var waiting = string.Join("; ", targets.Where(t => !t.Ready).Select(t => $"{t.Kind}/{t.Name}: {t.Message?.TrimEnd('.')}"));
            draft.Fail(Reasons.RolloutTimeout, $"Not every dependent was Ready within {GoDuration.Format(settings.RolloutTimeout)} (spec.rollout.timeout): {waiting}. Key {s.OldKeyId} stays valid.");
            return draft.Result();
        }

        // Progress is not written per dependent: a rollout of N dependents would cost N status writes. The targets'
        // readiness is persisted at the phase change; the workloads themselves show their progress meanwhile.
        return draft.Result(rolls, timeline.UntilRolloutDeadline(draft.ExactNow));
    }

    private static RotationPlan CompleteRollout(RotationDraft draft, ApiKey apiKey, RotationSettings settings, List<RolloutTargetStatus> targets)
    {
        var s = draft.Status;
        s.Targets = targets;
        var rolledOutAt = s.RolledOutAt is { } earlier ? Time.Utc(earlier) : draft.Now;
        var ready = targets.Count == 0 ? "No workload depends on the Secret" : $"All {Count(targets.Count, "dependent")} are Ready on key {s.NewKeyId}";
        if (settings.RequireTraffic && !HasTraffic(apiKey, s.NewKeyId))
        {
            s.RolledOutAt = rolledOutAt;
            var deadline = rolledOutAt + settings.TrafficTimeout;
            if (draft.ExactNow >= deadline)
            {
                draft.Fail(Reasons.TrafficTimeout, $"Key {s.NewKeyId} was not used within {GoDuration.Format(settings.TrafficTimeout)} (spec.trafficTimeout) after every dependent was Ready. Key {s.OldKeyId} stays valid.");
                return draft.Result();
            }

            draft.InProgress(Reasons.WaitingForTraffic, $"{ready}; waiting for the first verified use of key {s.NewKeyId} until {Format(deadline)}.");
            return draft.Result(requeueAfter: deadline - draft.ExactNow);
        }

        s.RolledOutAt = rolledOutAt;
        if (settings.Emergency)
        {
            var done = $"{ready}. Every earlier key was revoked when the rotation started.";
            draft.Audit(AuditKinds.RolledOut, s.NewKeyId, done);
            draft.Event(false, Reasons.RolledOut, done);
            draft.Succeed(done);
            return draft.Result();
        }

        var revokeAt = draft.Now + settings.GracePeriod;
        s.Phase = RotationPhases.GracePeriod;
        s.RevokeOldKeyAt = revokeAt;
        var message = $"{ready}{(settings.RequireTraffic ? " and it has served traffic" : "")}. Key {s.OldKeyId} stays valid for the {GoDuration.Format(settings.GracePeriod)} grace period; the ApiKey controller revokes it at {Format(revokeAt)}.";
        // Only the grace period remains: healthy for kstatus and Argo CD (Reconciling=False), Ready once the old key is revoked.
        draft.Conditions(ready: false, reconciling: false, stalled: false, Reasons.GracePeriod, message);
        draft.Audit(AuditKinds.RolledOut, s.NewKeyId, message);
        draft.Event(false, Reasons.RolledOut, message);
        return draft.Result(requeueAfter: revokeAt - draft.ExactNow);
    }

    /// <summary>GracePeriod: the ApiKey controller revokes the old key at revokeOldKeyAt; then the rotation is done.</summary>
    private static RotationPlan AwaitRevocation(RotationDraft draft, RotationObservation observed, ApiKey apiKey, RotationSettings settings)
    {
        var s = draft.Status;
        var old = apiKey.Status?.Keys?.FirstOrDefault(k => k.Id == s.OldKeyId);
        if (old is null || !KeyStates.IsValid(old.State))
        {
            var when = old?.RevokedAt is { } at ? $" at {Format(at)}" : "";
            draft.Succeed($"Key {s.NewKeyId} is in use by every dependent; key {s.OldKeyId} was {(old?.State ?? KeyStates.Revoked).ToLowerInvariant()}{when}.");
            return draft.Result();
        }

        var revokeAt = Time.Utc(s.RevokeOldKeyAt ?? draft.Now);
        return draft.Result(requeueAfter: revokeAt > draft.ExactNow ? revokeAt - draft.ExactNow : null);
    }

    /// <summary>The key a restore rotation rolls dependents off, if this is one the operator created (a client's label proves nothing).</summary>
    private static string? RestoredKey(ApiKeyRotation rotation, RotationObservation observed) =>
        observed.Requester.AuditName == Identity.Requester.Operator.AuditName
        && rotation.Metadata.Labels?.TryGetValue(ApiKeyPlanner.RestoresKeyLabel, out var lost) == true
        && observed.ApiKey?.Status?.CurrentKeyId is { } current && current != lost
            ? lost
            : null;

    private static bool HasTraffic(ApiKey apiKey, string? keyId) =>
        keyId is not null && apiKey.Status?.Usage?.TryGetValue(keyId, out var usage) == true && usage?.LastUsedAt is not null;

    private static RolloutTargetStatus Target(WorkloadRef workload, bool ready, string message) =>
        new() { Kind = workload.Kind, Name = workload.Name, Ready = ready, Message = message };

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";

    private static string Format(DateTime time) => ApiKeySecret.FormatTime(time);

    private static string Sentence(string? text) => Messages.Sentence(text);
}
