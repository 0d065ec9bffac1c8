using ApiKeyOperator.Api;
using ApiKeyOperator.Keys;
using ApiKeyOperator.Runtime;
using k8s;
using k8s.Models;

namespace ApiKeyOperator.Controllers.ApiKeys;

/// <summary>
/// The ApiKey controller's decisions, as a pure function of what was observed and the time: which
/// credential belongs in the Secret (keep, move, adopt, or issue), what the status says, which Events to
/// record, and when to look again. The reconciler only carries the plan out.
/// </summary>
public static class ApiKeyPlanner
{
    /// <summary>Revoked and Expired keys kept in status beyond the Active and Retiring ones.</summary>
    public const int HistoricKeyLimit = 10;

    /// <summary>Plans one reconcile. <paramref name="issue"/> creates a credential (format, prefix) when one is needed.</summary>
    public static ApiKeyPlan Plan(ApiKeyObservation observed, DateTime now, Func<CredentialFormat, string, IssuedCredential> issue)
    {
        var draft = new ApiKeyDraft(observed, now);
        var problems = SpecValidator.Validate(draft.Spec, draft.Current, draft.Now);
        if (problems.Count > 0)
        {
            return draft.Stalled(Reasons.InvalidSpec, string.Join("; ", problems));
        }

        if (observed.Secret is { } secret && !ApiKeySecret.IsControlledBy(secret, observed.ApiKey))
        {
            return draft.Stalled(
                Reasons.SecretConflict,
                $"Secret {draft.Spec.SecretName} exists and is not controlled by this ApiKey; it is left untouched. " +
                "Delete it or choose another spec.secretName");
        }

        var inSecret = ApiKeySecret.Read(observed.Secret);
        var current = draft.Current;
        if (current is not null && Holds(inSecret, current))
        {
            return draft.Finish(inSecret!, observed.Secret);
        }

        if (current is not null && draft.IsMoving && Holds(ApiKeySecret.Read(observed.PreviousSecret), current)
            && ApiKeySecret.IsControlledBy(observed.PreviousSecret!, observed.ApiKey))
        {
            draft.Event(false, Reasons.SecretMoved, $"Key {current.Id} moved from Secret {draft.Status.SecretName} to Secret {draft.Spec.SecretName}");
            return draft.Finish(ApiKeySecret.Read(observed.PreviousSecret)!, observed.Secret);
        }

        if (inSecret is not null && draft.CanAdopt(inSecret))
        {
            draft.Adopt(inSecret);
            return draft.Finish(inSecret, observed.Secret);
        }

        return IssueFresh(draft, observed.Secret, issue);
    }

    /// <summary>
    /// The status of an ApiKey being deleted: every key still valid is revoked. The reconciler writes it
    /// (best effort), deletes the Secret it owns, and releases the finalizer.
    /// </summary>
    public static ApiKeyPlan PlanDeletion(ApiKey apiKey, DateTime now)
    {
        var draft = new ApiKeyDraft(new ApiKeyObservation(apiKey, null), now);
        var revoked = draft.Status.Keys!.Where(k => KeyStates.IsValid(k.State)).ToList();
        foreach (var key in revoked)
        {
            key.State = KeyStates.Revoked;
            key.RevokedAt = draft.Now;
            key.RevokeAt = null;
        }

        if (revoked.Count > 0)
        {
            draft.Event(false, Reasons.Revoked, $"Revoked key(s) {string.Join(", ", revoked.Select(k => k.Id))}: the ApiKey is being deleted");
        }

        return draft.Deleting();
    }

    private static ApiKeyPlan IssueFresh(ApiKeyDraft draft, V1Secret? secret, Func<CredentialFormat, string, IssuedCredential> issue)
    {
        var spec = draft.Spec;
        var expiresAt = spec.ExpiresAt is { } absolute ? Time.Utc(absolute) : draft.Now + GoDuration.Parse(spec.Validity);
        if (expiresAt <= draft.ExactNow)
        {
            return draft.Stalled(Reasons.InvalidSpec, $"spec.expiresAt {ApiKeySecret.FormatTime(expiresAt)} is in the past; no key can be issued with it");
        }

        var format = spec.Format == KeyFormats.ClientCredentials ? CredentialFormat.ClientCredentials : CredentialFormat.Token;
        var credential = issue(format, spec.Prefix);
        var lost = draft.Current;
        var secretName = spec.SecretName;
        var (warning, reason, message) = (lost, secret) switch
        {
            (null, null) => (false, Reasons.Issued, $"Issued key {credential.KeyId} into Secret {secretName}"),
            (null, _) => (true, Reasons.SecretMismatch, $"Secret {secretName} held no valid key of this ApiKey; issued key {credential.KeyId} into it"),
            (_, null) => (true, Reasons.SecretRestored, $"Secret {secretName} was missing; key {lost.Id} is lost and revoked, issued key {credential.KeyId}"),
            _ => (true, Reasons.SecretMismatch, $"Data of Secret {secretName} no longer matches key {lost.Id}; key {lost.Id} revoked, issued key {credential.KeyId}"),
        };

        if (lost is not null && KeyStates.IsValid(lost.State))
        {
            lost.State = KeyStates.Revoked;
            lost.RevokedAt = draft.Now;
            lost.RevokeAt = null;
        }

        draft.Status.Keys!.Insert(0, new KeyRecord
        {
            Id = credential.KeyId,
            State = KeyStates.Active,
            Hash = credential.Hash,
            Scopes = spec.Scopes?.ToList(),
            CreatedAt = draft.Now,
            ExpiresAt = expiresAt,
        });
        draft.Status.CurrentKeyId = credential.KeyId;
        draft.Event(warning, reason, message);
        draft.ReadyReason = reason;
        return draft.Finish(new SecretCredential(credential, expiresAt, draft.Now), secret, credential.KeyId);
    }

    /// <summary>Whether two statuses are the same, treating missing and empty lists alike.</summary>
    internal static bool SameStatus(ApiKeyStatus? a, ApiKeyStatus? b) =>
        KubernetesJson.Serialize(Normalized(a)) == KubernetesJson.Serialize(Normalized(b));

    /// <summary>A deep copy with non-null lists, so the planner never mutates what the cache holds.</summary>
    internal static ApiKeyStatus Normalized(ApiKeyStatus? status)
    {
        var copy = status is null ? new ApiKeyStatus() : KubernetesJson.Deserialize<ApiKeyStatus>(KubernetesJson.Serialize(status));
        copy.Keys ??= [];
        copy.Conditions ??= [];
        return copy;
    }

    private static bool Holds(SecretCredential? inSecret, KeyRecord key) =>
        inSecret is not null && inSecret.KeyId == key.Id && KeyHash.FixedTimeEquals(inSecret.Credential.Hash, key.Hash);

    /// <summary>The working copy of one plan: a cloned status and the Events gathered so far.</summary>
    private sealed class ApiKeyDraft
    {
        private readonly ApiKey _apiKey;
        private readonly V1Secret? _previousSecret;
        private readonly List<PlannedEvent> _events = [];

        public ApiKeyDraft(ApiKeyObservation observed, DateTime now)
        {
            _apiKey = observed.ApiKey;
            _previousSecret = observed.PreviousSecret;
            ExactNow = Time.Utc(now);
            Now = Time.TruncateToSeconds(now);
            BaseStatus = Normalized(observed.ApiKey.Status);
            Status = Normalized(observed.ApiKey.Status);
        }

        public ApiKeySpec Spec => _apiKey.Spec;

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

        /// <summary>
        /// A credential in our Secret that status does not list is one whose status write was lost (a crash
        /// between Secret and status, or status wiped): adopt it rather than issue a second key. A listed
        /// Active key that is not current is adopted too (a writer that records the key before switching).
        /// </summary>
        public bool CanAdopt(SecretCredential inSecret)
        {
            var known = Status.Keys!.FirstOrDefault(k => k.Id == inSecret.KeyId);
            return known is null || (known.State == KeyStates.Active && Holds(inSecret, known));
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
            }

            Status.CurrentKeyId = known.Id;
            var message = $"Adopted key {known.Id} found in Secret {Spec.SecretName}; no new key issued";
            if (previous is not null && previous != known && KeyStates.IsValid(previous.State))
            {
                // A rotation in flight keeps the old key valid until its rollout ends; otherwise it was replaced.
                if (Conditions.IsTrue(Status.Conditions, ConditionTypes.Rotating))
                {
                    previous.State = KeyStates.Retiring;
                    message += $"; key {previous.Id} is Retiring (rotation in progress)";
                }
                else
                {
                    previous.State = KeyStates.Revoked;
                    previous.RevokedAt = Now;
                    previous.RevokeAt = null;
                    message += $"; key {previous.Id} revoked";
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

            return Result(write, secret is null ? SecretWriteKind.Create : SecretWriteKind.Replace, delete, issuedKeyId);
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
                }
                else if (key.State == KeyStates.Retiring && Time.Utc(key.RevokeAt) is { } revokeAt && revokeAt <= ExactNow)
                {
                    key.State = KeyStates.Revoked;
                    key.RevokedAt = revokeAt;
                    key.RevokeAt = null;
                    Event(false, Reasons.Revoked, $"Key {key.Id} revoked at the end of its grace period");
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
            Event(false, Reasons.ExpiryUpdated, $"Expiry of key {current.Id} changed from {previous} to {ApiKeySecret.FormatTime(desired)}; the key itself is unchanged");
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
            Conditions.Set(conditions, ConditionTypes.Ready, ready, reason, message, generation, Now);
            Conditions.Set(
                conditions,
                ConditionTypes.Reconciling,
                false,
                stalled?.Reason ?? Reasons.Reconciled,
                stalled is null ? "Spec is applied" : "Not progressing: see the Stalled condition",
                generation,
                Now);
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

        private ApiKeyPlan Result(V1Secret? secretWrite, SecretWriteKind kind, ObjectKey? secretToDelete, string? issuedKeyId)
        {
            BoundHistory();
            var current = Current;
            Status.ExpiresAt = current?.ExpiresAt;
            Status.LastUsedAt = current?.LastUsedAt;
            var deadlines = Status.Keys!
                .Where(k => KeyStates.IsValid(k.State))
                .SelectMany(k => new[] { Time.Utc(k.ExpiresAt), k.State == KeyStates.Retiring ? Time.Utc(k.RevokeAt) : null })
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
                StatusChanged = KubernetesJson.Serialize(Status) != KubernetesJson.Serialize(BaseStatus),
                Events = _events,
                IssuedKeyId = issuedKeyId,
                NextDeadline = deadlines.Count == 0 ? null : deadlines.Min(),
            };
        }

        /// <summary>Active and Retiring keys always stay; of the rest, the newest <see cref="HistoricKeyLimit"/>.</summary>
        private void BoundHistory()
        {
            var historic = 0;
            var kept = Status.Keys!.Where(k => KeyStates.IsValid(k.State) || k.Id == Status.CurrentKeyId || historic++ < HistoricKeyLimit).ToList();
            Status.Keys = kept;
        }

    }
}
