using ApiKeyOperator.Api;
using ApiKeyOperator.Keys;
using ApiKeyOperator.Ledger;
using ApiKeyOperator.Runtime;
using k8s;
using k8s.Models;

namespace ApiKeyOperator.Controllers.ApiKeys;

/// <summary>
/// The working copy of one <see cref="ApiKeyPlanner"/> decision: a cloned status, the Events gathered so far,
/// and the steps every outcome shares (deadlines, expiry, conditions, history bound, result).
/// </summary>
internal sealed class ApiKeyDraft
{
    private readonly ApiKey _apiKey;
    private readonly V1Secret? _previousSecret;
    private readonly List<PlannedEvent> _events = [];
    private readonly List<PlannedAudit> _audit = [];

    public ApiKeyDraft(ApiKeyObservation observed, DateTime now)
    {
        _apiKey = observed.ApiKey;
        _previousSecret = observed.PreviousSecret;
        Rotations = observed.Rotations;
        ExactNow = Time.Utc(now);
        Now = Time.TruncateToSeconds(now);
        BaseStatus = ApiKeyPlanner.Normalized(observed.ApiKey.Status);
        Status = ApiKeyPlanner.Normalized(observed.ApiKey.Status);
    }

    public ApiKey ApiKey => _apiKey;

    public ApiKeySpec Spec => _apiKey.Spec;

    public IReadOnlyList<ApiKeyRotation>? Rotations { get; }

    public CredentialFormat Format => Spec.Format == KeyFormats.ClientCredentials ? CredentialFormat.ClientCredentials : CredentialFormat.Token;

    public ApiKeyStatus BaseStatus { get; }

    public ApiKeyStatus Status { get; }

    /// <summary>The time used for comparisons with deadlines.</summary>
    public DateTime ExactNow { get; }

    /// <summary>The time stamped into status: second precision, like Kubernetes timestamps.</summary>
    public DateTime Now { get; }

    public string? ReadyReason { get; set; }

    public KeyRecord? Current => Status.Keys!.FirstOrDefault(k => k.Id == Status.CurrentKeyId);

    public bool IsMoving => Status.SecretName is { } previous && previous != Spec.SecretName;

    public void Event(bool warning, string reason, string message) => _events.Add(new PlannedEvent(warning, reason, message));

    public void Audit(string kind, string keyId, string actor, string? reason = null, string? rotation = null, string? message = null) =>
        _audit.Add(new PlannedAudit(kind, keyId, actor, reason, rotation, message));

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
    }

    public void Revoke(KeyRecord key)
    {
        if (KeyStates.IsValid(key.State))
        {
            key.State = KeyStates.Revoked;
            key.RevokedAt = Now;
            key.RevokeAt = null;
        }
    }

    /// <summary>The old key of a rotation: Retiring for Graceful, revoked for Emergency. Returns what happened, for messages.</summary>
    public string RetireForRotation(KeyRecord old, ApiKeyRotation rotation)
    {
        if (!KeyStates.IsValid(old.State))
        {
            return $"stays {old.State}";
        }

        if (RotationView.IsEmergency(rotation))
        {
            Revoke(old);
            return "revoked (Emergency rotation)";
        }

        old.State = KeyStates.Retiring;
        return "is Retiring: valid until every dependent runs the new key and the grace period ends";
    }

    /// <summary>
    /// A credential in our Secret that status does not list is one whose status write was lost (a crash
    /// between Secret and status, or status wiped): adopt it rather than issue a second key. A listed
    /// Active key that is not current is adopted too (a writer that records the key before switching).
    /// </summary>
    public bool CanAdopt(SecretCredential inSecret)
    {
        var known = Status.Keys!.FirstOrDefault(k => k.Id == inSecret.KeyId);
        return known is null || (known.State == KeyStates.Active && ApiKeyPlanner.Holds(inSecret, known));
    }

    public void Adopt(SecretCredential inSecret)
    {
        var previous = Current;
        var known = Status.Keys!.FirstOrDefault(k => k.Id == inSecret.KeyId);
        if (known is null)
        {
            var createdAt = inSecret.IssuedAt ?? Now;
            known = new KeyRecord
            {
                Id = inSecret.KeyId,
                State = KeyStates.Active,
                Hash = inSecret.Credential.Hash,
                Scopes = Spec.Scopes?.ToList(),
                CreatedAt = createdAt,
                ExpiresAt = inSecret.ExpiresAt ?? Spec.ExpiresAt ?? createdAt + GoDuration.Parse(Spec.Validity),
            };
            Status.Keys!.Insert(0, known);

            // Issued before a crash lost its status write (and with it the audit row): record it now.
            Audit(AuditEventKinds.Issued, known.Id, AuditActors.Operator, Reasons.KeyAdopted);
        }

        Status.CurrentKeyId = known.Id;
        var message = $"Adopted key {known.Id} found in Secret {Spec.SecretName}; no new key issued";
        if (previous is not null && previous != known && KeyStates.IsValid(previous.State))
        {
            // The key a rotation asked for (written before a crash) retires the old key as the rotation says;
            // any other replacement means the old key's value is gone from the Secret.
            if (RotationView.Issuing(Rotations, previous.Id) is { } rotation && rotation.Status!.NewKeyId == known.Id)
            {
                known.Scopes = previous.Scopes?.ToList() ?? known.Scopes;
                message += $"; key {previous.Id} {RetireForRotation(previous, rotation)}";
            }
            else
            {
                Revoke(previous);
                message += $"; key {previous.Id} revoked";
                Audit(AuditEventKinds.Revoked, previous.Id, AuditActors.Operator, Reasons.KeyAdopted);
            }
        }

        Event(false, Reasons.KeyAdopted, message);
        ReadyReason = Reasons.KeyAdopted;
    }

    /// <summary>Spec is unusable or the Secret is foreign: record why, touch nothing else.</summary>
    public ApiKeyPlan Stalled(string reason, string message)
    {
        ApplyDeadlines();
        var current = Current;
        var readyMessage = current is not null && KeyStates.IsValid(current.State)
            ? $"{message}. Key {current.Id} stays valid in Secret {Status.SecretName ?? Spec.SecretName}"
            : message;
        SetConditions(ready: false, reason, readyMessage, stalled: (reason, message));
        if (!Conditions.IsTrue(BaseStatus.Conditions, ConditionTypes.Stalled) || Conditions.Find(BaseStatus.Conditions, ConditionTypes.Stalled)?.Message != message)
        {
            Event(true, reason, message);
        }

        return Result(secretWrite: null, SecretWriteKind.Create, secretToDelete: null, issuedKeyId: null);
    }

    /// <summary>The Secret is to hold <paramref name="credential"/>: settle expiry, scopes, metadata and conditions.</summary>
    public ApiKeyPlan Finish(SecretCredential credential, V1Secret? secret, string? issuedKeyId = null)
    {
        ApplyDeadlines();
        var current = Current!;
        if (current.State == KeyStates.Active)
        {
            UpdateExpiry(current);
            UpdateScopes(current);
        }

        var desired = ApiKeySecret.Build(_apiKey, credential.Credential, current.ExpiresAt ?? Now, current.CreatedAt ?? Now, secret);
        V1Secret? write = secret is null || !ApiKeySecret.SameContent(desired, secret) ? desired : null;

        // The Secret a move leaves behind is deleted only once the new one holds the key, and only if still ours.
        ObjectKey? delete = null;
        if (IsMoving && _previousSecret is not null && ApiKeySecret.IsControlledBy(_previousSecret, _apiKey))
        {
            delete = new ObjectKey(_apiKey.Metadata.NamespaceProperty, Status.SecretName!);
        }

        Status.SecretName = Spec.SecretName;
        if (KeyStates.IsValid(current.State))
        {
            var reason = ReadyReason
                ?? (Conditions.Find(BaseStatus.Conditions, ConditionTypes.Ready) is { Status: ConditionStatuses.True } ready ? ready.Reason : Reasons.Issued);
            SetConditions(ready: true, reason, $"Key {current.Id} is in Secret {Spec.SecretName} and expires at {ApiKeySecret.FormatTime(current.ExpiresAt ?? Now)}", stalled: null);
        }
        else
        {
            var reason = current.State == KeyStates.Expired ? Reasons.Expired : Reasons.Revoked;
            SetConditions(
                ready: false,
                reason,
                $"Key {current.Id} is {current.State}; create an ApiKeyRotation to issue a new key " +
                "(changing spec.validity or spec.expiresAt does not revive it)",
                stalled: null);
        }

        Status.NextRotationAt = RotationSchedule.NextRotationAt(Spec, current);
        return Result(write, secret is null ? SecretWriteKind.Create : SecretWriteKind.Replace, delete, issuedKeyId) with
        {
            RotationToCreate = RotationSchedule.Due(_apiKey, Status, Rotations, ExactNow),
            RotationsToDelete = [.. RotationSchedule.Expendable(_apiKey, Rotations).Select(ObjectKey.Of)],
        };
    }

    public ApiKeyPlan Deleting()
    {
        SetConditions(ready: false, Reasons.Revoked, "The ApiKey is being deleted; its keys are revoked", stalled: null);
        return Result(secretWrite: null, SecretWriteKind.Create, secretToDelete: null, issuedKeyId: null);
    }

    /// <summary>Time passing: keys past expiresAt expire; Retiring keys past revokeAt are revoked.</summary>
    private void ApplyDeadlines()
    {
        foreach (var key in Status.Keys!)
        {
            if (KeyStates.IsValid(key.State) && Time.Utc(key.ExpiresAt) is { } expiresAt && expiresAt <= ExactNow)
            {
                key.State = KeyStates.Expired;
                key.RevokeAt = null;
                Event(true, Reasons.Expired, $"Key {key.Id} expired at {ApiKeySecret.FormatTime(expiresAt)}");
                Audit(AuditEventKinds.Expired, key.Id, AuditActors.Operator, Reasons.Expired);
            }
            else if (key.State == KeyStates.Retiring && Time.Utc(key.RevokeAt) is { } revokeAt && revokeAt <= ExactNow)
            {
                key.State = KeyStates.Revoked;
                key.RevokedAt = revokeAt;
                key.RevokeAt = null;
                Event(false, Reasons.Revoked, $"Key {key.Id} revoked at the end of its grace period");
                var rotation = Rotations?.FirstOrDefault(r => r.Status?.OldKeyId == key.Id)?.Metadata.Name;
                Audit(AuditEventKinds.Revoked, key.Id, AuditActors.Operator, "GracePeriodEnded", rotation);
            }
        }
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
        var message = $"Expiry of key {current.Id} changed from {previous} to {ApiKeySecret.FormatTime(desired)}; the key itself is unchanged";
        Event(false, Reasons.ExpiryUpdated, message);
        Audit(AuditEventKinds.ExpiryUpdated, current.Id, AuditActor.Of(_apiKey), Reasons.ExpiryUpdated, message: message);
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
        Event(false, Reasons.ScopesUpdated, $"Scopes of key {current.Id} set to [{string.Join(", ", desired)}]");
    }

    private void SetConditions(bool ready, string reason, string message, (string Reason, string Message)? stalled)
    {
        var generation = _apiKey.Metadata.Generation;
        var conditions = Status.Conditions!;
        var running = RotationView.Running(Rotations);
        (string Reason, string Message)? rotating = running is null
            ? null
            : (running.Status!.Phase!, $"ApiKeyRotation {running.Metadata.Name} is {running.Status.Phase}");
        Conditions.Set(conditions, ConditionTypes.Ready, ready, reason, message, generation, Now);
        Conditions.Set(
            conditions,
            ConditionTypes.Reconciling,
            stalled is null && rotating is not null,
            stalled?.Reason ?? rotating?.Reason ?? Reasons.Reconciled,
            stalled is not null ? "Not progressing: see the Stalled condition" : rotating?.Message ?? "Spec is applied",
            generation,
            Now);
        SetRotating(conditions, rotating, generation);
        Conditions.Set(
            conditions,
            ConditionTypes.Stalled,
            stalled is not null,
            stalled?.Reason ?? Reasons.Reconciled,
            stalled?.Message ?? "Nothing blocks this ApiKey",
            generation,
            Now);
        Status.ObservedGeneration = generation;
    }

    /// <summary>Rotating=True while a rotation runs; afterwards False with how the last one ended.</summary>
    private void SetRotating(IList<V1Condition> conditions, (string Reason, string Message)? rotating, long? generation)
    {
        if (rotating is { } running)
        {
            Conditions.Set(conditions, ConditionTypes.Rotating, true, running.Reason, running.Message, generation, Now);
        }
        else if (RotationView.LastFinished(Rotations) is { } last)
        {
            var failed = last.Status!.Phase == RotationPhases.Failed;
            Conditions.Set(
                conditions,
                ConditionTypes.Rotating,
                false,
                failed ? Reasons.RotationFailed : Reasons.RotationSucceeded,
                $"ApiKeyRotation {last.Metadata.Name} {(failed ? "failed" : "succeeded")}",
                generation,
                Now);
        }
        else if (Conditions.IsTrue(conditions, ConditionTypes.Rotating))
        {
            // The running rotation was deleted before it finished: nothing rotates any more.
            Conditions.Set(conditions, ConditionTypes.Rotating, false, Reasons.Reconciled, "No ApiKeyRotation is running; the last one was deleted before it finished", generation, Now);
        }
    }

    private ApiKeyPlan Result(V1Secret? secretWrite, SecretWriteKind kind, ObjectKey? secretToDelete, string? issuedKeyId)
    {
        BoundHistory();
        var current = Current;
        Status.ExpiresAt = current?.ExpiresAt;
        var deadlines = Status.Keys!
            .Where(k => KeyStates.IsValid(k.State))
            .SelectMany(k => new[] { Time.Utc(k.ExpiresAt), k.State == KeyStates.Retiring ? Time.Utc(k.RevokeAt) : null })
            .Append(Time.Utc(Status.NextRotationAt))
            .OfType<DateTime>()
            .Where(d => d > ExactNow)
            .ToList();
        return new ApiKeyPlan
        {
            SecretWrite = secretWrite,
            SecretWriteKind = kind,
            SecretToDelete = secretToDelete,
            BaseStatus = BaseStatus,
            Status = Status,
            StatusChanged = MirrorUsageIfChanged(),
            Events = _events,
            Audit = _audit,
            IssuedKeyId = issuedKeyId,
            NextDeadline = deadlines.Count == 0 ? null : deadlines.Min(),
        };
    }

    /// <summary>
    /// Whether status changed; if so, <c>keys[].lastUsedAt</c> is refreshed from <c>status.usage</c> in the same
    /// write. Usage alone never causes a write: the flusher owns it, the mirror rides along.
    /// </summary>
    private bool MirrorUsageIfChanged()
    {
        if (KubernetesJson.Serialize(Status) == KubernetesJson.Serialize(BaseStatus))
        {
            return false;
        }

        foreach (var key in Status.Keys!)
        {
            if (Status.Usage?.TryGetValue(key.Id, out var usage) == true && usage?.LastUsedAt is { } at)
            {
                key.LastUsedAt = at;
            }
        }

        return true;
    }

    /// <summary>Active and Retiring keys always stay; of the rest, the newest <see cref="ApiKeyPlanner.HistoricKeyLimit"/>.</summary>
    private void BoundHistory()
    {
        var historic = 0;
        var kept = Status.Keys!.Where(k => KeyStates.IsValid(k.State) || k.Id == Status.CurrentKeyId || historic++ < ApiKeyPlanner.HistoricKeyLimit).ToList();
        Status.Keys = kept;
    }

}
