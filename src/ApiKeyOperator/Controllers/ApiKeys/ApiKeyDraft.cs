using ApiKeyOperator.Api;
using ApiKeyOperator.Identity;
using ApiKeyOperator.Keys;
using ApiKeyOperator.Runtime;
using k8s;
using k8s.Models;

namespace ApiKeyOperator.Controllers.ApiKeys;

/// <summary>
/// The working copy of one <see cref="ApiKeyPlanner"/> decision: a cloned status, the Events and audit rows
/// gathered so far, and the steps every outcome shares (the rotations' published decisions, deadlines, expiry,
/// conditions, history bound, outbox, result).
/// </summary>
internal sealed class ApiKeyDraft
{
    /// <summary>Audit rows kept in status at most (rows known to have landed leave first).</summary>
    public const int MaxPendingAudit = 50;

    private readonly ApiKeyObservation _observed;
    private readonly List<PlannedEvent> _events = [];
    private readonly List<PlannedAudit> _audit = [];
    private readonly string _base;

    public ApiKeyDraft(ApiKeyObservation observed, DateTime now)
    {
        _observed = observed;
        ExactNow = Time.Utc(now);
        Now = Time.TruncateToSeconds(now);
        BaseStatus = ApiKeyPlanner.Normalized(observed.ApiKey.Status);
        Status = ApiKeyPlanner.Normalized(observed.ApiKey.Status);
        _base = KubernetesJson.Serialize(BaseStatus);
    }

    public ApiKey ApiKey => _observed.ApiKey;

    public ApiKeySpec Spec => ApiKey.Spec;

    public string Uid => ApiKey.Metadata.Uid ?? ApiKey.Metadata.Name;

    public IReadOnlyList<ApiKeyRotation>? Rotations => _observed.Rotations;

    public CredentialFormat Format => Spec.Format == KeyFormats.ClientCredentials ? CredentialFormat.ClientCredentials : CredentialFormat.Token;

    public ApiKeyStatus BaseStatus { get; }

    public ApiKeyStatus Status { get; }

    /// <summary>The time used for comparisons with deadlines.</summary>
    public DateTime ExactNow { get; }

    /// <summary>The time stamped into status: second precision, like Kubernetes timestamps.</summary>
    public DateTime Now { get; }

    public string? ReadyReason { get; set; }

    /// <summary>A moment to look again that no key deadline gives (a refused Secret's retry).</summary>
    public DateTime? RetryAt { get; set; }

    public KeyRecord? Current => Status.Keys!.FirstOrDefault(k => k.Id == Status.CurrentKeyId);

    public bool IsMoving => Status.SecretName is { } previous && previous != Spec.SecretName;

    public string Operator => Requester.Operator.AuditName;

    public string SpecActor => _observed.SpecRequester.AuditName;

    public string ActorOf(ApiKeyRotation rotation) => _observed.RequesterOf(rotation).AuditName;

    public void Event(bool warning, string reason, string message) => _events.Add(new PlannedEvent(warning, reason, message));

    /// <summary>An audit row whose fact is (kind, this ApiKey, <paramref name="detail"/>).</summary>
    public void Audit(string kind, string? keyId, string actor, string? reason = null, string? rotation = null, string? message = null, string? detail = null) =>
        _audit.Add(new PlannedAudit(kind, keyId, actor, AuditKinds.Key(kind, Uid, detail ?? keyId), reason, rotation, message));

    public bool HasNewAudit => _audit.Count > 0;

    public bool Knows(string keyId) => Status.Keys!.Any(k => k.Id == keyId);

    /// <summary>Expiry of a key issued now: spec.expiresAt if set, else now + spec.validity.</summary>
    public DateTime NewKeyExpiry() => Spec.ExpiresAt is { } absolute ? Time.Utc(absolute) : Now + GoDuration.Parse(Spec.Validity);

    public void AddCurrentKey(IssuedCredential credential, DateTime expiresAt, IList<string>? scopes)
    {
        Status.Keys!.Insert(0, new KeyRecord
        {
            Id = credential.KeyId,
            State = KeyStates.Active,
            Hash = credential.Hash,
            Scopes = scopes?.ToList(),
            CreatedAt = Now,
            ExpiresAt = expiresAt,
        });
        Status.CurrentKeyId = credential.KeyId;
        Status.PendingKey = null;
    }

    /// <summary>Revokes a valid key; returns whether it was valid.</summary>
    public bool Revoke(KeyRecord key, DateTime? at = null)
    {
        if (!KeyStates.IsValid(key.State))
        {
            return false;
        }

        key.State = KeyStates.Revoked;
        key.RevokedAt = at ?? Now;
        key.RevokeAt = null;
        return true;
    }

    /// <summary>The old key of a rotation turns Retiring (an Emergency rotation has revoked it already). Returns what happened, for messages.</summary>
    public string RetireForRotation(KeyRecord old, ApiKeyRotation rotation)
    {
        if (!KeyStates.IsValid(old.State))
        {
            return $"stays {old.State}";
        }

        if (RotationView.IsEmergency(rotation))
        {
            Revoke(old);
            Audit(AuditKinds.Revoked, old.Id, ActorOf(rotation), Reasons.EmergencyRevocation, rotation.Metadata.Name, $"Key {old.Id} was revoked by Emergency ApiKeyRotation {rotation.Metadata.Name}.");
            return "is revoked (Emergency rotation)";
        }

        old.State = KeyStates.Retiring;
        return "is Retiring: it stays valid until every dependent runs the new key and the grace period ends";
    }

    /// <summary>
    /// The credential in our Secret is the one this controller persisted in <c>status.pendingKey</c> before writing
    /// it (a crash came between the Secret and the status write): adopt it. Nothing else is ever adopted.
    /// </summary>
    public bool CanAdopt(SecretCredential inSecret) =>
        Status.PendingKey is { } pending && pending.Id == inSecret.KeyId && KeyHash.FixedTimeEquals(pending.Hash, inSecret.Credential.Hash) && !Knows(inSecret.KeyId);

    /// <summary>
    /// Adopts the pending credential. Without the rotation it was issued for, it was issued because the previous key
    /// was lost from the Secret (or its rotation is gone): that key takes the SecretLost path, and the restore rotation
    /// the crash kept from being created is returned, to be created now.
    /// </summary>
    public ApiKeyRotation? Adopt(SecretCredential inSecret)
    {
        var previous = Current;
        var pending = Status.PendingKey!;
        var rotation = pending.Rotation is { } name ? Rotations?.FirstOrDefault(r => r.Metadata.Name == name && RotationView.Counts(r)) : null;
        var createdAt = inSecret.IssuedAt is { } issued && issued <= Now ? issued : Now;
        var expiresAt = inSecret.ExpiresAt ?? Spec.ExpiresAt ?? createdAt + GoDuration.Parse(Spec.Validity);
        Status.Keys!.Insert(0, new KeyRecord
        {
            Id = inSecret.KeyId,
            State = KeyStates.Active,
            Hash = inSecret.Credential.Hash,
            Scopes = (rotation is not null ? previous?.Scopes : null)?.ToList() ?? Spec.Scopes?.ToList(),
            CreatedAt = createdAt,
            ExpiresAt = expiresAt,
        });
        Status.CurrentKeyId = inSecret.KeyId;
        Status.PendingKey = null;
        var message = $"Adopted key {inSecret.KeyId} found in Secret {Spec.SecretName}: it is the key this operator was issuing when it stopped; no other key was issued.";
        ApiKeyRotation? restore = null;
        if (previous is not null && KeyStates.IsValid(previous.State))
        {
            if (rotation is not null)
            {
                message += $" Key {previous.Id} {RetireForRotation(previous, rotation)}.";
            }
            else
            {
                restore = RotationSchedule.Restore(ApiKey, previous.Id);
                message += $" Key {previous.Id} {RetireLost(previous)} (ApiKeyRotation {restore.Metadata.Name}).";
            }
        }

        // The status write that would have recorded the issuance was lost: its audit row travels with this one.
        var actor = rotation is not null ? ActorOf(rotation) : previous is null ? SpecActor : Operator;
        Audit(AuditKinds.Issued, inSecret.KeyId, actor, Reasons.KeyAdopted, rotation?.Metadata.Name, message);
        Event(false, Reasons.KeyAdopted, message);
        ReadyReason = Reasons.KeyAdopted;
        return restore;
    }

    /// <summary>A key lost from the Secret stays valid (Retiring) until a restore rotation has rolled its dependents.</summary>
    public string RetireLost(KeyRecord lost)
    {
        lost.State = KeyStates.Retiring;
        return "is Retiring: the dependents still running it are rolled to the new key first";
    }

    /// <summary>Spec is unusable or the Secret is foreign (or refused the write): record why, touch nothing else.</summary>
    public ApiKeyPlan Stalled(string reason, string message)
    {
        ApplyDecisions();
        var current = Current;
        var readyMessage = current is not null && KeyStates.IsValid(current.State)
            ? $"{Messages.Sentence(message)} Key {current.Id} stays valid in Secret {Status.SecretName ?? Spec.SecretName}."
            : Messages.Sentence(message);
        SetConditions(ready: false, reason, readyMessage, stalled: (reason, Messages.Sentence(message)));
        if (!Conditions.IsTrue(BaseStatus.Conditions, ConditionTypes.Stalled) || Conditions.Find(BaseStatus.Conditions, ConditionTypes.Stalled)?.Message != Messages.Sentence(message))
        {
            Event(true, reason, Messages.Sentence(message));
        }

        return Result();
    }

    /// <summary>The Secret is to hold <paramref name="credential"/>: settle expiry, scopes, metadata and conditions.</summary>
    public ApiKeyPlan Finish(SecretCredential credential, V1Secret? secret, string? issuedKeyId = null, ApiKeyRotation? restore = null)
    {
        ApplyDecisions();
        var current = Current!;
        if (current.State == KeyStates.Active)
        {
            UpdateExpiry(current);
            UpdateScopes(current);
        }

        var desired = ApiKeySecret.Build(ApiKey, credential.Credential, current.ExpiresAt ?? Now, current.CreatedAt ?? Now, secret);
        V1Secret? write = secret is null || !ApiKeySecret.SameContent(desired, secret) ? desired : null;

        // The Secret a move leaves behind is deleted only once the new one holds the key, and only if still ours.
        ObjectKey? delete = null;
        if (IsMoving && _observed.PreviousSecret is { } previousSecret && ApiKeySecret.IsControlledBy(previousSecret, ApiKey))
        {
            delete = new ObjectKey(ApiKey.Metadata.NamespaceProperty, Status.SecretName!);
        }

        Status.SecretName = Spec.SecretName;
        if (KeyStates.IsValid(current.State))
        {
            var reason = ReadyReason
                ?? (Conditions.Find(BaseStatus.Conditions, ConditionTypes.Ready) is { Status: ConditionStatuses.True } ready ? ready.Reason : Reasons.Issued);
            SetConditions(ready: true, reason, $"Key {current.Id} is in Secret {Spec.SecretName} and expires at {ApiKeySecret.FormatTime(current.ExpiresAt ?? Now)}.", stalled: null);
        }
        else
        {
            var reason = current.State == KeyStates.Expired ? Reasons.Expired : Reasons.Revoked;
            var emergency = RotationView.Emergency(Rotations);
            SetConditions(
                ready: false,
                reason,
                emergency is not null
                    ? $"Key {current.Id} is {current.State}; Emergency ApiKeyRotation {emergency.Metadata.Name} is issuing a new key."
                    : $"Key {current.Id} is {current.State}; create an ApiKeyRotation to issue a new key (changing spec.validity or spec.expiresAt does not revive it).",
                stalled: null);
        }

        Status.NextRotationAt = RotationSchedule.NextRotationAt(Spec, current);
        var toCreate = restore ?? RotationSchedule.Due(ApiKey, Status, Rotations, ExactNow);
        if (toCreate is not null)
        {
            // Recorded before the rotation exists: the name of the rotation the schedule made.
            Status.ScheduledRotation = toCreate.Metadata.Name;
        }

        return Result(write, secret is null ? SecretWriteKind.Create : SecretWriteKind.Replace, delete, issuedKeyId) with
        {
            RotationToCreate = toCreate,
            RotationsToDelete = [.. RotationSchedule.Expendable(ApiKey, Rotations).Select(ObjectKey.Of)],
        };
    }

    public ApiKeyPlan Deleting(bool auditPending)
    {
        var message = auditPending
            ? "The ApiKey is being deleted; its keys are revoked. Waiting for the audit trail to record the deletion before the finalizer is released."
            : "The ApiKey is being deleted; its keys are revoked.";
        var conditions = Status.Conditions!;
        var generation = ApiKey.Metadata.Generation;
        Conditions.Set(conditions, ConditionTypes.Ready, false, Reasons.Revoked, message, generation, Now);
        Conditions.Set(conditions, ConditionTypes.Reconciling, auditPending, auditPending ? Reasons.AuditPending : Reasons.Revoked, message, generation, Now);
        return Result();
    }

    /// <summary>
    /// What rotations decided and time passing did: an Emergency rotation's "revoke every key but mine", the end of
    /// a grace period, leftover keys of failed rotations getting their bounded lifetime, expiry.
    /// </summary>
    private void ApplyDecisions()
    {
        // An Emergency request is a statement about every key that existed when it was made: they are all
        // revoked, whatever becomes of the rotation (waiting, failed, superseded), and only its own new key is spared.
        foreach (var emergency in (Rotations ?? []).Where(r => RotationView.Counts(r) && RotationView.IsEmergency(r)))
        {
            var cutoff = Time.Utc(emergency.Metadata.CreationTimestamp ?? DateTime.MaxValue);
            var keep = emergency.Status?.RevokeAllBut ?? emergency.Status?.NewKeyId;
            var revoked = Status.Keys!.Where(k => k.Id != keep && KeyStates.IsValid(k.State) && Time.Utc(k.CreatedAt ?? DateTime.MinValue) <= cutoff).ToList();
            foreach (var key in revoked)
            {
                Revoke(key);
                Audit(AuditKinds.Revoked, key.Id, ActorOf(emergency), Reasons.EmergencyRevocation, emergency.Metadata.Name,
                    $"Key {key.Id} was revoked by Emergency ApiKeyRotation {emergency.Metadata.Name}.");
            }

            if (revoked.Count > 0)
            {
                Event(true, Reasons.EmergencyRevocation, $"Revoked key(s) {string.Join(", ", revoked.Select(k => k.Id))} at once: Emergency ApiKeyRotation {emergency.Metadata.Name}.");
            }
        }

        foreach (var rotation in RotationView.InGrace(Rotations))
        {
            var revokeAt = Time.Utc(rotation.Status!.RevokeOldKeyAt!.Value);
            var retiring = RetiredBy(rotation);
            if (revokeAt > ExactNow)
            {
                // Shown on the key record; the revocation itself happens at revokeOldKeyAt.
                if (Status.Keys!.FirstOrDefault(k => k.Id == rotation.Status.OldKeyId) is { State: KeyStates.Retiring } old)
                {
                    old.RevokeAt = revokeAt;
                }

                continue;
            }

            foreach (var key in retiring)
            {
                Revoke(key, revokeAt);
                Audit(AuditKinds.Revoked, key.Id, ActorOf(rotation), Reasons.GracePeriodEnded, rotation.Metadata.Name,
                    $"Key {key.Id} was revoked at the end of the grace period of ApiKeyRotation {rotation.Metadata.Name}.");
            }

            if (retiring.Count > 0)
            {
                Event(false, Reasons.Revoked, $"Revoked key(s) {string.Join(", ", retiring.Select(k => k.Id))} at the end of the grace period of ApiKeyRotation {rotation.Metadata.Name}.");
            }
        }

        var lifetime = GoDuration.TryParse(Spec.Rotation?.LeftoverKeyLifetime, out var parsed) ? parsed : TimeSpan.FromDays(7);
        foreach (var key in Status.Keys!)
        {
            if (key.State == KeyStates.Retiring && key.Id != Status.CurrentKeyId && key.RevokeAt is null && !RotationView.Needs(Rotations, key.Id))
            {
                key.RevokeAt = Now + lifetime;
            }

            if (KeyStates.IsValid(key.State) && Time.Utc(key.ExpiresAt) is { } expiresAt && expiresAt <= ExactNow)
            {
                key.State = KeyStates.Expired;
                key.RevokeAt = null;
                Event(true, Reasons.Expired, $"Key {key.Id} expired at {ApiKeySecret.FormatTime(expiresAt)}.");
                Audit(AuditKinds.Expired, key.Id, Operator, Reasons.Expired);
            }
            else if (key.State == KeyStates.Retiring && Time.Utc(key.RevokeAt) is { } revokeAt && revokeAt <= ExactNow)
            {
                Revoke(key, revokeAt);
                Event(false, Reasons.Revoked, $"Key {key.Id} was revoked: it was left valid by a rotation that did not finish, for spec.rotation.leftoverKeyLifetime.");
                Audit(AuditKinds.Revoked, key.Id, Operator, Reasons.LeftoverLifetimeEnded);
            }
        }
    }

    /// <summary>
    /// The Retiring keys the end of <paramref name="rotation"/>'s grace period revokes: its old key and older ones
    /// (after a complete rollout onto its new key no dependent reads them, including a key left by an earlier failed
    /// rotation). Never its new key or a key issued after it: those were lost from the Secret after the rollout, and
    /// dependents still run them until the restore rotation has rolled them. Keys are kept newest first.
    /// </summary>
    private List<KeyRecord> RetiredBy(ApiKeyRotation rotation)
    {
        var keys = Status.Keys!;
        var newKey = keys.Select((k, i) => (k.Id, Index: i)).FirstOrDefault(k => k.Id == rotation.Status!.NewKeyId);
        return keys
            .Where((k, i) => k.State == KeyStates.Retiring && k.Id != Status.CurrentKeyId
                && (newKey.Id is not null ? i > newKey.Index : k.Id == rotation.Status!.OldKeyId))
            .ToList();
    }

    private void UpdateExpiry(KeyRecord current)
    {
        var desired = Spec.ExpiresAt is { } absolute
            ? Time.Utc(absolute)
            : Time.Utc(current.CreatedAt ?? Now) + GoDuration.Parse(Spec.Validity);
        if (Time.Utc(current.ExpiresAt) == desired)
        {
            return;
        }

        var previous = current.ExpiresAt is { } p ? ApiKeySecret.FormatTime(p) : "unset";
        current.ExpiresAt = desired;
        var message = $"Expiry of key {current.Id} changed from {previous} to {ApiKeySecret.FormatTime(desired)}; the key itself is unchanged.";
        Event(false, Reasons.ExpiryUpdated, message);
        Audit(AuditKinds.ExpiryUpdated, current.Id, SpecActor, Reasons.ExpiryUpdated, message: message, detail: $"{current.Id}/{ApiKeySecret.FormatTime(desired)}");
        ReadyReason ??= Reasons.ExpiryUpdated;
    }

    private void UpdateScopes(KeyRecord current)
    {
        var desired = Spec.Scopes ?? [];
        if ((current.Scopes ?? []).SequenceEqual(desired))
        {
            return;
        }

        current.Scopes = desired.Count == 0 ? null : desired.ToList();
        Event(false, Reasons.ScopesUpdated, $"Scopes of key {current.Id} set to [{string.Join(", ", desired)}].");
    }

    private void SetConditions(bool ready, string reason, string message, (string Reason, string Message)? stalled)
    {
        var generation = ApiKey.Metadata.Generation;
        var conditions = Status.Conditions!;
        var running = RotationView.Running(Rotations);
        var rollingOut = running is not null && RotationView.IsRollingOut(running);
        (string Reason, string Message)? rotating = rollingOut
            ? (running!.Status!.Phase!, $"ApiKeyRotation {running.Metadata.Name} is in phase {running.Status.Phase}.")
            : null;
        Conditions.Set(conditions, ConditionTypes.Ready, ready, reason, message, generation, Now);
        Conditions.Set(
            conditions,
            ConditionTypes.Reconciling,
            stalled is null && rotating is not null,
            stalled?.Reason ?? rotating?.Reason ?? Reasons.Reconciled,
            stalled is not null ? "Not progressing: see the Stalled condition." : rotating?.Message ?? "The spec is applied.",
            generation,
            Now);
        SetRotating(conditions, rotating, running, generation);
        Conditions.Set(
            conditions,
            ConditionTypes.Stalled,
            stalled is not null,
            stalled?.Reason ?? Reasons.Reconciled,
            stalled?.Message ?? "Nothing blocks this ApiKey.",
            generation,
            Now);
        SetLeftover(conditions, generation);
        if (RolloutTargetsCondition.Set(conditions, ApiKey, _observed.MissingTargets, generation, Now) is { } warning)
        {
            _events.Add(warning);
        }

        Status.ObservedGeneration = generation;
    }

    /// <summary>
    /// Rotating=True while dependents may still run the old key; False during the grace period (only waiting is
    /// left, so kstatus and Argo CD call it healthy) and afterwards with how the last rotation ended.
    /// </summary>
    private void SetRotating(IList<V1Condition> conditions, (string Reason, string Message)? rotating, ApiKeyRotation? running, long? generation)
    {
        if (rotating is { } active)
        {
            Conditions.Set(conditions, ConditionTypes.Rotating, true, active.Reason, active.Message, generation, Now);
        }
        else if (running is { Status.Phase: RotationPhases.GracePeriod })
        {
            Conditions.Set(
                conditions,
                ConditionTypes.Rotating,
                false,
                Reasons.GracePeriod,
                $"ApiKeyRotation {running.Metadata.Name} has rolled out key {running.Status.NewKeyId}; key {running.Status.OldKeyId} is revoked at {ApiKeySecret.FormatTime(running.Status.RevokeOldKeyAt ?? Now)}.",
                generation,
                Now);
        }
        else if (RotationView.LastFinished(Rotations) is { } last)
        {
            var failed = last.Status!.Phase == RotationPhases.Failed;
            Conditions.Set(
                conditions,
                ConditionTypes.Rotating,
                false,
                failed ? Reasons.RotationFailed : Reasons.RotationSucceeded,
                $"ApiKeyRotation {last.Metadata.Name} {(failed ? "failed" : "succeeded")}.",
                generation,
                Now);
        }
        else if (Conditions.IsTrue(conditions, ConditionTypes.Rotating))
        {
            // The running rotation was deleted before it finished: nothing rotates any more.
            Conditions.Set(conditions, ConditionTypes.Rotating, false, Reasons.Reconciled, "No ApiKeyRotation is running; the last one was deleted before it finished.", generation, Now);
        }
    }

    /// <summary>LeftoverKeyValid: a key other than the current one verifies although no rotation needs it.</summary>
    private void SetLeftover(IList<V1Condition> conditions, long? generation)
    {
        var leftovers = Status.Keys!.Where(k => k.State == KeyStates.Retiring && k.Id != Status.CurrentKeyId && !RotationView.Needs(Rotations, k.Id)).ToList();
        if (leftovers.Count == 0)
        {
            if (Conditions.Find(conditions, ConditionTypes.LeftoverKeyValid) is not null)
            {
                Conditions.Set(conditions, ConditionTypes.LeftoverKeyValid, false, Reasons.NoLeftoverKey, "Only the current key is valid, or a running rotation still needs the old one.", generation, Now);
            }

            return;
        }

        var last = RotationView.LastFinished(Rotations);
        var why = last is { Status.Phase: RotationPhases.Failed } ? $"ApiKeyRotation {last.Metadata.Name} failed" : "a rotation did not finish";
        var keys = string.Join(", ", leftovers.Select(k => $"{k.Id} (revoked at {ApiKeySecret.FormatTime(k.RevokeAt ?? Now)})"));
        Conditions.Set(
            conditions,
            ConditionTypes.LeftoverKeyValid,
            true,
            Reasons.RotationFailed,
            $"Besides key {Status.CurrentKeyId}, key(s) {keys} stay valid because {why}; fix the dependents and create a new ApiKeyRotation, or wait for spec.rotation.leftoverKeyLifetime.",
            generation,
            Now);
    }

    public ApiKeyPlan Result(V1Secret? secretWrite = null, SecretWriteKind kind = SecretWriteKind.Create, ObjectKey? secretToDelete = null, string? issuedKeyId = null)
    {
        BoundHistory();
        var current = Current;
        Status.ExpiresAt = current?.ExpiresAt;
        Status.ValidKeys = Status.Keys!.Count(k => KeyStates.IsValid(k.State));
        Status.LastRotation = (RotationView.Running(Rotations) ?? RotationView.LastFinished(Rotations)) is { } latest
            ? new LastRotation { Name = latest.Metadata.Name, Phase = latest.Status?.Phase }
            : BaseStatus.LastRotation;
        var added = _audit.Select(a => a.ToRecord(Now)).ToList();
        var changed = added.Count > 0 || KubernetesJson.Serialize(Status) != _base;
        if (changed)
        {
            // The outbox rides along with a write that happens anyway: new rows in, landed rows out.
            var pending = Status.PendingAudit!.Where(r => !_observed.LandedAudit.Contains(r.IdempotencyKey)).Concat(added).ToList();
            Status.PendingAudit = pending.Skip(Math.Max(0, pending.Count - MaxPendingAudit)).ToList();
            MirrorUsage();
        }

        var deadlines = Status.Keys!
            .Where(k => KeyStates.IsValid(k.State))
            .SelectMany(k => new[] { Time.Utc(k.ExpiresAt), k.State == KeyStates.Retiring ? Time.Utc(k.RevokeAt) : null })
            .Concat(RotationView.InGrace(Rotations).Select(r => (DateTime?)Time.Utc(r.Status!.RevokeOldKeyAt!.Value)))
            .Append(Time.Utc(Status.NextRotationAt))
            .Append(RotationSchedule.RateLimitedUntil(ApiKey, Rotations, ExactNow))
            .Append(RetryAt)
            .OfType<DateTime>()
            .Where(d => d > ExactNow)
            .ToList();
        return new ApiKeyPlan
        {
            SecretWrite = secretWrite,
            SecretWriteKind = kind,
            SecretToDelete = secretToDelete,
            Status = Status,
            StatusChanged = changed,
            Events = changed || secretWrite is not null ? _events : [],
            Audit = _audit,
            IssuedKeyId = issuedKeyId,
            NextDeadline = deadlines.Count == 0 ? null : deadlines.Min(),
        };
    }

    /// <summary>keys[].lastUsedAt mirrors status.usage, refreshed only in a write that happens anyway.</summary>
    private void MirrorUsage()
    {
        foreach (var key in Status.Keys!)
        {
            if (Status.Usage?.TryGetValue(key.Id, out var usage) == true && usage?.LastUsedAt is { } at)
            {
                key.LastUsedAt = at;
            }
        }
    }

    /// <summary>Active and Retiring keys always stay; of the rest, the newest <see cref="ApiKeyPlanner.HistoricKeyLimit"/>.</summary>
    private void BoundHistory()
    {
        var historic = 0;
        var kept = Status.Keys!.Where(k => KeyStates.IsValid(k.State) || k.Id == Status.CurrentKeyId || historic++ < ApiKeyPlanner.HistoricKeyLimit).ToList();
        Status.Keys = kept;
    }
}
