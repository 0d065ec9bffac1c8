using ApiKeyOperator.Api;
using ApiKeyOperator.Keys;
using k8s;
using k8s.Models;

namespace ApiKeyOperator.Controllers.ApiKeys;

/// <summary>
/// The ApiKey controller's decisions, as a pure function of what was observed and the time: which
/// credential belongs in the Secret (keep, move, adopt, or issue — also the key an ApiKeyRotation in phase
/// Issuing asks for), what the status says, which Events to record, and when to look again. The reconciler
/// only carries the plan out. The ApiKey controller is the only writer of the Secret.
/// </summary>
public static class ApiKeyPlanner
{
    /// <summary>Revoked and Expired keys kept in status beyond the Active and Retiring ones.</summary>
    public const int HistoricKeyLimit = 10;

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

        var inSecret = ApiKeySecret.Read(observed.Secret);
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
        revoked.ForEach(draft.Revoke);

        if (revoked.Count > 0)
        {
            draft.Event(false, Reasons.Revoked, $"Revoked key(s) {string.Join(", ", revoked.Select(k => k.Id))}: the ApiKey is being deleted");
        }

        return draft.Deleting();
    }

    private static ApiKeyPlan IssueFresh(ApiKeyDraft draft, V1Secret? secret, CredentialIssuer issue)
    {
        var expiresAt = draft.NewKeyExpiry();
        if (RefusePastExpiry(draft, expiresAt) is { } refused)
        {
            return refused;
        }

        // A rotation waiting for its key gets it here too, so that it can go on rolling out.
        var lost = draft.Current;
        var rotation = lost is null ? null : RotationView.Issuing(draft.Rotations, lost.Id);
        var wantedId = rotation?.Status!.NewKeyId is { } id && !draft.Knows(id) ? id : null;
        var credential = issue(draft.Format, draft.Spec.Prefix, wantedId);
        var secretName = draft.Spec.SecretName;
        var (warning, reason, message) = (lost, secret) switch
        {
            (null, null) => (false, Reasons.Issued, $"Issued key {credential.KeyId} into Secret {secretName}"),
            (null, _) => (true, Reasons.SecretMismatch, $"Secret {secretName} held no valid key of this ApiKey; issued key {credential.KeyId} into it"),
            (_, null) => (true, Reasons.SecretRestored, $"Secret {secretName} was missing; key {lost.Id} is lost and revoked, issued key {credential.KeyId}"),
            _ => (true, Reasons.SecretMismatch, $"Data of Secret {secretName} no longer matches key {lost.Id}; key {lost.Id} revoked, issued key {credential.KeyId}"),
        };

        if (lost is not null)
        {
            draft.Revoke(lost);
        }

        draft.AddCurrentKey(credential, expiresAt, draft.Spec.Scopes);
        draft.Event(warning, reason, message);
        draft.ReadyReason = reason;
        return draft.Finish(new SecretCredential(credential, expiresAt, draft.Now), secret, credential.KeyId);
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
        var fate = draft.RetireForRotation(old, rotation);
        draft.AddCurrentKey(credential, expiresAt, old.Scopes ?? draft.Spec.Scopes);
        draft.Event(false, Reasons.Issued, $"Issued key {credential.KeyId} for ApiKeyRotation {rotation.Metadata.Name}; key {old.Id} {fate}");
        draft.ReadyReason = Reasons.Issued;
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

    /// <summary>A new key must not be born expired (spec.expiresAt already applied to a key that expired).</summary>
    private static ApiKeyPlan? RefusePastExpiry(ApiKeyDraft draft, DateTime expiresAt) =>
        expiresAt <= draft.ExactNow
            ? draft.Stalled(Reasons.InvalidSpec, $"spec.expiresAt {ApiKeySecret.FormatTime(expiresAt)} is in the past; no key can be issued with it")
            : null;

    /// <summary>Whether the Secret's credential is exactly <paramref name="key"/> (id and hash).</summary>
    internal static bool Holds(SecretCredential? inSecret, KeyRecord key) =>
        inSecret is not null && inSecret.KeyId == key.Id && KeyHash.FixedTimeEquals(inSecret.Credential.Hash, key.Hash);
}
