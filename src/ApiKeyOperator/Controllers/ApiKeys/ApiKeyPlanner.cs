using ApiKeyOperator.Api;
using ApiKeyOperator.Controllers.ApiKeyRotations;
using ApiKeyOperator.Identity;
using ApiKeyOperator.Keys;
using k8s;
using k8s.Models;

namespace ApiKeyOperator.Controllers.ApiKeys;

/// <summary>
/// The ApiKey controller's decisions, as a pure function of what was observed and the time: which credential
/// belongs in the Secret (keep, move, adopt the pending one, or issue — also the key an ApiKeyRotation in Issuing
/// asks for), which keys the rotations' published decisions revoke, what the status says, which Events and audit
/// rows to record, and when to look again. The reconciler only carries the plan out. The ApiKey controller is the
/// only writer of the Secret and of ApiKey status (but <c>status.usage</c>), and the only one that revokes.
/// </summary>
public static class ApiKeyPlanner
{
    /// <summary>Revoked and Expired keys kept in status beyond the Active and Retiring ones.</summary>
    public const int HistoricKeyLimit = 10;

    /// <summary>After the API server refused the Secret, how long until it is tried again without a spec change.</summary>
    public static readonly TimeSpan SecretRejectionRetry = TimeSpan.FromMinutes(5);

    /// <summary>Label of a rotation the operator created to roll dependents off a key lost from the Secret; its value is that key's id.</summary>
    public const string RestoresKeyLabel = "apikeyoperator.io/restores-key";

    /// <summary>Plans one reconcile. <paramref name="issue"/> creates a credential when one is needed.</summary>
    public static ApiKeyPlan Plan(ApiKeyObservation observed, DateTime now, CredentialIssuer issue)
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

        if (observed.SecretRejection is { } rejection)
        {
            return draft.Stalled(Reasons.SecretRejected, $"The API server refused Secret {draft.Spec.SecretName}: {rejection}. Fix the spec (e.g. spec.secretTemplate) to go on");
        }

        // Refused for this generation: not tried again until the spec changes or the retry interval has passed.
        if (Conditions.Find(draft.BaseStatus.Conditions, ConditionTypes.Stalled) is { Status: ConditionStatuses.True, Reason: Reasons.SecretRejected } refusedAt
            && refusedAt.ObservedGeneration == observed.ApiKey.Metadata.Generation
            && Time.Utc(refusedAt.LastTransitionTime) + SecretRejectionRetry > draft.ExactNow)
        {
            draft.RetryAt = Time.Utc(refusedAt.LastTransitionTime) + SecretRejectionRetry;
            return draft.Stalled(Reasons.SecretRejected, refusedAt.Message);
        }

        var inSecret = ApiKeySecret.Read(observed.Secret);
        if (inSecret is not null && draft.CanAdopt(inSecret))
        {
            var restore = draft.Adopt(inSecret);
            return draft.Finish(inSecret, observed.Secret, restore: restore);
        }

        var current = draft.Current;
        if (current is not null && Holds(inSecret, current))
        {
            if (!draft.IsMoving && RotationView.Issuing(observed.Rotations, current.Id) is { } rotation && !draft.Knows(rotation.Status!.NewKeyId!))
            {
                return IssueForRotation(draft, observed.Secret, rotation, issue);
            }

            return draft.Finish(inSecret!, observed.Secret);
        }

        if (current is not null && draft.IsMoving && Holds(ApiKeySecret.Read(observed.PreviousSecret), current)
            && ApiKeySecret.IsControlledBy(observed.PreviousSecret!, observed.ApiKey))
        {
            draft.Event(false, Reasons.SecretMoved, $"Key {current.Id} moved from Secret {draft.Status.SecretName} to Secret {draft.Spec.SecretName}.");
            return draft.Finish(ApiKeySecret.Read(observed.PreviousSecret)!, observed.Secret);
        }

        // The Secret lost the current key. A rotation waiting for its key restores the Secret with that key.
        if (current is not null && RotationView.Issuing(observed.Rotations, current.Id) is { } issuing && !draft.Knows(issuing.Status!.NewKeyId!))
        {
            return IssueForRotation(draft, observed.Secret, issuing, issue);
        }

        return IssueFresh(draft, observed.Secret, issue);
    }

    /// <summary>
    /// The status of an ApiKey being deleted: every key still valid is revoked and a Deleted row per key travels with
    /// the write. The reconciler releases the finalizer only once those rows are in the audit trail.
    /// </summary>
    public static ApiKeyPlan PlanDeletion(ApiKeyObservation observed, DateTime now, Requester deleter)
    {
        var draft = new ApiKeyDraft(observed, now);
        var revoked = draft.Status.Keys!.Where(k => draft.Revoke(k)).ToList();
        if (revoked.Count > 0)
        {
            draft.Event(false, Reasons.Revoked, $"Revoked key(s) {string.Join(", ", revoked.Select(k => k.Id))}: the ApiKey is being deleted.");
            foreach (var key in revoked)
            {
                draft.Audit(AuditKinds.Deleted, key.Id, deleter.AuditName, Reasons.Revoked, message: "The ApiKey was deleted; its key is revoked.");
            }
        }
        else if (!draft.Status.PendingAudit!.Any(r => r.Kind == AuditKinds.Deleted))
        {
            // No live key left to revoke: the deletion is still recorded, once.
            draft.Audit(AuditKinds.Deleted, draft.Status.CurrentKeyId, deleter.AuditName, message: "The ApiKey was deleted.", detail: draft.Status.CurrentKeyId ?? "none");
        }

        var waiting = draft.HasNewAudit || draft.Status.PendingAudit!.Any(r => !observed.LandedAudit.Contains(r.IdempotencyKey));
        return draft.Deleting(auditPending: waiting);
    }

    private static ApiKeyPlan IssueFresh(ApiKeyDraft draft, V1Secret? secret, CredentialIssuer issue)
    {
        var expiresAt = draft.NewKeyExpiry();
        if (RefusePastExpiry(draft, expiresAt) is { } refused)
        {
            return refused;
        }

        var lost = draft.Current;
        var credential = issue(draft.Format, draft.Spec.Prefix, null);
        var pending = PendingStatus(draft, credential, rotation: null);
        var secretName = draft.Spec.SecretName;
        ApiKeyRotation? restore = null;
        string message;
        bool warning;
        string reason;
        if (lost is null)
        {
            (warning, reason, message) = secret is null
                ? (false, Reasons.Issued, $"Issued key {credential.KeyId} into Secret {secretName}.")
                : (true, Reasons.SecretMismatch, $"Secret {secretName} held no key this operator issued; issued key {credential.KeyId} into it (a key found there is never adopted).");
        }
        else if (KeyStates.IsValid(lost.State))
        {
            // A lost key is rotated gracefully, never revoked: dependents still running it keep working until rolled.
            restore = RotationSchedule.Restore(draft.ApiKey, lost.Id);
            var what = secret is null ? $"Secret {secretName} was missing" : $"Secret {secretName} no longer held key {lost.Id}";
            (warning, reason, message) = (true, Reasons.SecretLost,
                $"{what}; issued key {credential.KeyId} into it. Key {lost.Id} {draft.RetireLost(lost)} (ApiKeyRotation {restore.Metadata.Name}).");
        }
        else
        {
            (warning, reason, message) = (true, Reasons.SecretRestored, $"Secret {secretName} did not hold key {lost.Id} ({lost.State}); issued key {credential.KeyId} into it.");
        }

        draft.AddCurrentKey(credential, expiresAt, lost?.Scopes ?? draft.Spec.Scopes);
        draft.Event(warning, reason, message);
        draft.Audit(AuditKinds.Issued, credential.KeyId, lost is null ? draft.SpecActor : draft.Operator, reason, message: message);
        draft.ReadyReason = reason;
        return draft.Finish(new SecretCredential(credential, expiresAt, draft.Now), secret, credential.KeyId, restore) with { PendingStatus = pending };
    }

    /// <summary>
    /// The key an ApiKeyRotation in Issuing asks for, under the id it persisted: the old key turns Retiring
    /// (Graceful) or is revoked at once (Emergency); the new key carries the old key's scopes.
    /// </summary>
    private static ApiKeyPlan IssueForRotation(ApiKeyDraft draft, V1Secret? secret, ApiKeyRotation rotation, CredentialIssuer issue)
    {
        var expiresAt = draft.NewKeyExpiry();
        if (RefusePastExpiry(draft, expiresAt) is { } refused)
        {
            return refused;
        }

        var old = draft.Current!;
        var credential = issue(draft.Format, draft.Spec.Prefix, rotation.Status!.NewKeyId);
        var pending = PendingStatus(draft, credential, rotation.Metadata.Name);
        var fate = draft.RetireForRotation(old, rotation);
        draft.AddCurrentKey(credential, expiresAt, old.Scopes ?? draft.Spec.Scopes);
        var message = $"Issued key {credential.KeyId} for ApiKeyRotation {rotation.Metadata.Name}; key {old.Id} {fate}.";
        draft.Event(false, Reasons.Issued, message);
        draft.Audit(AuditKinds.Issued, credential.KeyId, draft.ActorOf(rotation), rotation.Spec.Reason ?? rotation.Spec.Strategy, rotation.Metadata.Name, message);
        draft.ReadyReason = Reasons.Issued;
        return draft.Finish(new SecretCredential(credential, expiresAt, draft.Now), secret, credential.KeyId) with { PendingStatus = pending };
    }

    /// <summary>The current status plus the id and hash of the credential about to be written: persisted first, adopted alone.</summary>
    private static ApiKeyStatus PendingStatus(ApiKeyDraft draft, IssuedCredential credential, string? rotation)
    {
        var status = Normalized(draft.BaseStatus);
        status.PendingKey = new PendingKey { Id = credential.KeyId, Hash = credential.Hash, Rotation = rotation };
        return status;
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
        copy.PendingAudit ??= [];
        return copy;
    }

    /// <summary>A new key must not be born expired (spec.expiresAt already applied to a key that expired).</summary>
    private static ApiKeyPlan? RefusePastExpiry(ApiKeyDraft draft, DateTime expiresAt) =>
        expiresAt <= draft.ExactNow
            ? draft.Stalled(Reasons.InvalidSpec, $"spec.expiresAt {ApiKeySecret.FormatTime(expiresAt)} is in the past; no key can be issued with it")
            : null;

    /// <summary>Whether the Secret's credential is exactly <paramref name="key"/> (id and hash).</summary>
    internal static bool Holds(SecretCredential? inSecret, KeyRecord key) =>
        inSecret is not null && inSecret.KeyId == key.Id && KeyHash.FixedTimeEquals(inSecret.Credential.Hash, key.Hash);
}
