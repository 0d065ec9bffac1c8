using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ApiKeyOperator.Api;
using ApiKeyOperator.Controllers.ApiKeyRotations;
using ApiKeyOperator.Identity;
using ApiKeyOperator.Keys;
using ApiKeyOperator.Rollouts;
using ApiKeyOperator.Runtime;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace ApiKeyOperator.Controllers.ApiKeys;

/// <summary>
/// The ApiKey controller's I/O: reads the caches (never a GET the cache can answer), asks the requester resolver
/// who acted, lets <see cref="ApiKeyPlanner"/> decide once, and carries the plan out in crash-safe order: the
/// pending key's id and hash, the Secret, the old Secret's deletion, the status (with the audit rows of what it
/// records), Events, the audit rows, scheduled rotations. It acts only on caches that have caught up with its own
/// last writes (<see cref="WriteExpectations"/>); it is the only writer of ApiKey status but <c>status.usage</c>.
/// </summary>
public sealed partial class ApiKeyReconciler(
    IObjectCache<ApiKey> apiKeys,
    IObjectCache<V1Secret> secrets,
    IObjectCache<ApiKeyRotation> rotations,
    Workloads workloads,
    IResourceClient<V1Secret> secretClient,
    IResourceClient<ApiKey> apiKeyClient,
    IResourceClient<ApiKeyRotation> rotationClient,
    IStatusWriter statusWriter,
    IEventRecorder events,
    AuditOutbox outbox,
    IRequesterResolver requesters,
    RequesterSigner signer,
    WriteExpectations expectations,
    RotationMetrics metrics,
    TimeProvider time,
    ILogger<ApiKeyReconciler> logger) : IReconciler<ApiKey>
{
    /// <summary>
    /// Longest requeue asked for. Deadlines within it are met exactly; a key expiring months ahead is looked
    /// at once a day instead (a cache-only reconcile, no API call) — .NET timers cannot wait longer than
    /// ~49 days, and a daily look also absorbs wall-clock jumps.
    /// </summary>
    public static readonly TimeSpan MaxRequeue = TimeSpan.FromDays(1);

    /// <summary>
    /// How often an ApiKey stalled on a Secret it does not own looks again. Such a Secret has no ownerReference
    /// to this ApiKey (and usually not our label), so its deletion reaches this controller through no watch;
    /// a recheck is the only trigger short of caching every Secret of the cluster. Two GETs per period.
    /// </summary>
    public static readonly TimeSpan ForeignSecretRecheck = TimeSpan.FromSeconds(10);

    /// <summary>Safety net while a cache lags this process's own write; the watch event normally comes first.</summary>
    public static readonly TimeSpan StaleCacheRecheck = TimeSpan.FromSeconds(5);

    /// <summary>How soon a deletion waiting for the audit ledger tries again.</summary>
    public static readonly TimeSpan AuditRetry = TimeSpan.FromSeconds(5);

    private readonly KeyGenerator _generator = new();

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var apiKey = apiKeys.Get(key);
        if (apiKey is null)
        {
            expectations.Forget<ApiKey>(key);
            return ReconcileResult.Done;
        }

        if (expectations.IsStale(key, apiKey, Fingerprint))
        {
            return ReconcileResult.After(StaleCacheRecheck);
        }

        var ns = key.Namespace ?? "";
        metrics.Track(ns, key.Name);
        if (apiKey.Metadata.DeletionTimestamp is not null)
        {
            return await FinalizeAsync(apiKey, cancellationToken);
        }

        if (!HasFinalizer(apiKey))
        {
            apiKey = await PatchFinalizersAsync(apiKey, [.. apiKey.Metadata.Finalizers ?? [], WellKnown.Finalizer], cancellationToken);
        }

        var secretKey = SecretKey(apiKey);
        var secret = secrets.Get(secretKey);
        if (expectations.IsStale(secretKey, secret, SecretFingerprint))
        {
            return ReconcileResult.After(StaleCacheRecheck);
        }

        if (secret is null && IsStalledOnForeignSecret(apiKey))
        {
            // The label-scoped cache cannot show a foreign Secret: only a read tells whether it is still there.
            secret = await secretClient.GetAsync(secretKey, cancellationToken);
        }

        var observed = Observe(apiKey, secret);
        var plan = ApiKeyPlanner.Plan(observed, time.GetUtcNow().UtcDateTime, Issue);
        ApiKey recorded;
        try
        {
            recorded = await ExecuteAsync(apiKey, plan, cancellationToken);
        }
        catch (SecretWriteException e) when (e.Status is { } status && (int)status is >= 400 and < 500 && status is not HttpStatusCode.Conflict and not (HttpStatusCode)429)
        {
            // The server refused the Secret itself (e.g. a secretTemplate label it does not accept): a human must act.
            var stalled = ApiKeyPlanner.Plan(observed with { SecretRejection = e.Message }, time.GetUtcNow().UtcDateTime, Issue);
            await WriteStatusAsync(apiKey, stalled.Status, cancellationToken);
            LogSecretRejected(key.ToString(), e.Message);
            return ReconcileResult.Done;
        }

        var next = plan.NextDeadline is { } deadline
            ? ReconcileResult.After(deadline - time.GetUtcNow().UtcDateTime).Earliest(ReconcileResult.After(MaxRequeue))
            : ReconcileResult.Done;
        if (recorded.Status?.PendingAudit is { Count: > 0 } rows && !await outbox.SendAsync(ns, key.Name, [.. recorded.Status.Keys ?? []], rows, cancellationToken))
        {
            next = next.Earliest(ReconcileResult.After(AuditRetry));
        }

        return observed.Secret is { } found && !ApiKeySecret.IsControlledBy(found, observed.ApiKey)
            ? next.Earliest(ReconcileResult.After(ForeignSecretRecheck))
            : next;
    }

    /// <summary>What the planner sees: caches only, plus who acted (from the requester resolver).</summary>
    private ApiKeyObservation Observe(ApiKey apiKey, V1Secret? secret)
    {
        var rotationsOfKey = RotationQueue.Of(rotations.List(apiKey.Metadata.NamespaceProperty), apiKey.Metadata.Name).ToList();
        return new ApiKeyObservation(apiKey, secret, PreviousSecretKey(apiKey) is { } previous ? secrets.Get(previous) : null, rotationsOfKey)
        {
            SpecRequester = requesters.ChangedBy(apiKey),
            RotationRequesters = rotationsOfKey.ToDictionary(r => r.Metadata.Name, r => requesters.ChangedBy(r)),
            LandedAudit = outbox.Landed(apiKey.Status?.PendingAudit),
            MissingTargets = (apiKey.Spec.Rollout?.Targets ?? [])
                .Select(t => new WorkloadRef(t.Kind, t.Name))
                .Where(t => workloads.Get(apiKey.Metadata.NamespaceProperty, t) is null)
                .ToHashSet(),
        };
    }

    private IssuedCredential Issue(CredentialFormat format, string prefix, string? keyId) =>
        keyId is null ? _generator.Generate(format, prefix) : _generator.Generate(format, prefix, keyId);

    /// <summary>Carries the plan out; returns the ApiKey as last written (or as read).</summary>
    private async Task<ApiKey> ExecuteAsync(ApiKey apiKey, ApiKeyPlan plan, CancellationToken cancellationToken)
    {
        var apiKeyName = ObjectKey.Of(apiKey).ToString();
        var recorded = apiKey;
        if (plan.PendingStatus is { } pending)
        {
            // The new credential's id and hash are persisted before the Secret holds it: after a crash in between,
            // only exactly this credential is adopted.
            recorded = await WriteStatusAsync(recorded, pending, cancellationToken) ?? recorded;
        }

        if (plan.SecretWrite is { } secret)
        {
            var written = await WriteSecretAsync(secret, plan.SecretWriteKind, cancellationToken) ?? await ForeignSecretAsync(apiKey, recorded, cancellationToken);
            if (written is null)
            {
                return recorded;
            }

            expectations.Wrote(written, SecretFingerprint(written));
            LogSecretWritten(apiKeyName, secret.Metadata.Name, plan.Status.CurrentKeyId);
        }

        if (plan.SecretToDelete is { } obsolete)
        {
            await secretClient.DeleteAsync(obsolete, cancellationToken);
            LogSecretDeleted(apiKeyName, obsolete.Name);
        }

        if (plan.StatusChanged)
        {
            recorded = await WriteStatusAsync(recorded, plan.Status, cancellationToken) ?? recorded;
        }

        if (plan.IssuedKeyId is { } issued)
        {
            LogIssued(apiKeyName, issued, plan.Status.SecretName);
        }

        foreach (var planned in plan.Events)
        {
            await RecordAsync(apiKey, planned, cancellationToken);
        }

        await ScheduleRotationsAsync(apiKey, plan, cancellationToken);
        return recorded;
    }

    /// <summary>
    /// PUT /status from the object as last seen. On a conflict (a usage write, a spec edit) the status is applied over
    /// the latest object, keeping the fields the usage flusher owns: this controller is the only writer of the rest.
    /// </summary>
    private async Task<ApiKey?> WriteStatusAsync(ApiKey basis, ApiKeyStatus status, CancellationToken cancellationToken)
    {
        var written = await statusWriter.UpdateAsync(basis, latest =>
        {
            var desired = KubernetesJson.Deserialize<ApiKeyStatus>(KubernetesJson.Serialize(status));
            desired.Usage = latest.Status?.Usage;
            desired.LastUsedAt = latest.Status?.LastUsedAt;
            latest.Status = desired;
            return true;
        }, cancellationToken);
        if (written is not null)
        {
            expectations.Wrote(written, Fingerprint(written));
        }

        return written;
    }

    /// <summary>Creates a due scheduled (or restore) rotation — once per key: its name says which — and prunes old ones.</summary>
    private async Task ScheduleRotationsAsync(ApiKey apiKey, ApiKeyPlan plan, CancellationToken cancellationToken)
    {
        var apiKeyName = ObjectKey.Of(apiKey).ToString();
        if (plan.RotationToCreate is { } scheduled)
        {
            try
            {
                // Signed as the operator's own: the webhook, when installed, stamps it again from the operator's userInfo.
                signer.StampAsOperator(scheduled);
                await rotationClient.CreateAsync(scheduled, cancellationToken);
                LogRotationScheduled(apiKeyName, scheduled.Metadata.Name, plan.Status.CurrentKeyId);
                await events.NormalAsync(
                    apiKey,
                    Reasons.RotationScheduled,
                    $"Created ApiKeyRotation {scheduled.Metadata.Name} ({scheduled.Spec.Reason}).",
                    cancellationToken);
            }
            catch (HttpOperationException e) when (ApiErrors.IsAlreadyExists(e))
            {
                // Created before (by an earlier reconcile or another replica): its name is unique per key.
            }
        }

        foreach (var expired in plan.RotationsToDelete)
        {
            await rotationClient.DeleteAsync(expired, cancellationToken);
        }
    }

    /// <summary>Writes the Secret; null when a create found the name taken by a Secret the label-scoped cache cannot show.</summary>
    private async Task<V1Secret?> WriteSecretAsync(V1Secret secret, SecretWriteKind kind, CancellationToken cancellationToken)
    {
        try
        {
            return kind == SecretWriteKind.Create
                ? await secretClient.CreateAsync(secret, cancellationToken)
                : await secretClient.ReplaceAsync(secret, cancellationToken);
        }
        catch (HttpOperationException e) when (kind == SecretWriteKind.Create && ApiErrors.IsAlreadyExists(e))
        {
            return null;
        }
        catch (HttpOperationException e)
        {
            // The server's own words (a Status message names the refused field), never the request: it holds the key.
            var reason = (e.Body as V1Status)?.Message ?? ServerMessage(e.Response?.Content) ?? (e.Body as V1Status)?.Reason ?? e.Response?.StatusCode.ToString();
            throw new SecretWriteException(
                $"{kind} of Secret {secret.Metadata.NamespaceProperty}/{secret.Metadata.Name} failed: HTTP {(int?)e.Response?.StatusCode} {reason}",
                e.Response?.StatusCode);
        }
    }

    /// <summary>
    /// The Secret's name is taken by one the cache cannot show (foreign, so without our label): read it once, and
    /// record the conflict the planner decides on it. The only read of a reconcile, and only in this case.
    /// </summary>
    private async Task<V1Secret?> ForeignSecretAsync(ApiKey apiKey, ApiKey recorded, CancellationToken cancellationToken)
    {
        var live = await secretClient.GetAsync(SecretKey(apiKey), cancellationToken);
        var plan = ApiKeyPlanner.Plan(Observe(recorded, live), time.GetUtcNow().UtcDateTime, Issue);
        if (plan.SecretWrite is null && plan.StatusChanged)
        {
            await WriteStatusAsync(recorded, plan.Status, cancellationToken);
            foreach (var planned in plan.Events)
            {
                await RecordAsync(apiKey, planned, cancellationToken);
            }

            return null;
        }

        throw new SecretWriteException($"Create of Secret {apiKey.Metadata.NamespaceProperty}/{apiKey.Spec.SecretName} failed: it was created meanwhile", HttpStatusCode.Conflict);
    }

    private static string? ServerMessage(string? body)
    {
        try
        {
            return body is null ? null : JsonDocument.Parse(body).RootElement.TryGetProperty("message", out var message) ? message.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Deletion: revoke every key with a Deleted audit row per key in the same status write, record the rows, delete
    /// the Secret(s) this ApiKey owns, and release the finalizer only once the rows are in the audit trail (a
    /// condition says so while it waits).
    /// </summary>
    private async Task<ReconcileResult> FinalizeAsync(ApiKey apiKey, CancellationToken cancellationToken)
    {
        if (!HasFinalizer(apiKey))
        {
            return ReconcileResult.Done;
        }

        var apiKeyName = ObjectKey.Of(apiKey).ToString();
        var deleter = await requesters.DeletedByAsync(apiKey, cancellationToken);
        var plan = ApiKeyPlanner.PlanDeletion(Observe(apiKey, secrets.Get(SecretKey(apiKey))), time.GetUtcNow().UtcDateTime, deleter);
        if (plan.StatusChanged)
        {
            try
            {
                // The status write moves resourceVersion; the finalizer patch below needs the new one.
                apiKey = await WriteStatusAsync(apiKey, plan.Status, cancellationToken) ?? apiKey;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Deletion goes on: the revocation is what verification sees from deletionTimestamp anyway, and the
                // audit rows are sent from the plan; only their landing holds the finalizer.
                LogDeletionStepFailed(e, apiKeyName, "revoke keys in status");
            }
        }

        foreach (var planned in plan.Events)
        {
            await RecordAsync(apiKey, planned, cancellationToken);
        }

        if (!await outbox.SendAsync(apiKey.Metadata.NamespaceProperty ?? "", apiKey.Metadata.Name, [.. plan.Status.Keys ?? []], plan.Status.PendingAudit, cancellationToken))
        {
            LogAuditPending(apiKeyName);
            return ReconcileResult.After(AuditRetry);
        }

        foreach (var secretName in new[] { apiKey.Spec.SecretName, apiKey.Status?.SecretName }.Distinct())
        {
            if (string.IsNullOrEmpty(secretName))
            {
                continue;
            }

            try
            {
                var secretKey = new ObjectKey(apiKey.Metadata.NamespaceProperty, secretName);
                var secret = secrets.Get(secretKey) ?? await secretClient.GetAsync(secretKey, cancellationToken);
                if (secret is not null && ApiKeySecret.IsControlledBy(secret, apiKey))
                {
                    await secretClient.DeleteAsync(secretKey, cancellationToken);
                    LogSecretDeleted(apiKeyName, secretName);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogDeletionStepFailed(e, apiKeyName, "delete Secret " + secretName);
            }
        }

        try
        {
            await PatchFinalizersAsync(apiKey, [.. apiKey.Metadata.Finalizers.Where(f => f != WellKnown.Finalizer)], cancellationToken);
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            // Already gone.
        }

        metrics.Forget(apiKey.Metadata.NamespaceProperty ?? "", apiKey.Metadata.Name);
        LogFinalized(apiKeyName);
        return ReconcileResult.Done;
    }

    private async Task<ApiKey> PatchFinalizersAsync(ApiKey apiKey, IReadOnlyList<string> finalizers, CancellationToken cancellationToken)
    {
        // resourceVersion in a merge patch is a precondition: a concurrent change fails with 409, not lost.
        var patch = JsonSerializer.Serialize(new { metadata = new { finalizers, resourceVersion = apiKey.Metadata.ResourceVersion } });
        var patched = await apiKeyClient.PatchAsync(ObjectKey.Of(apiKey), patch, cancellationToken);
        expectations.Wrote(patched, Fingerprint(patched));
        return patched;
    }

    private Task RecordAsync(ApiKey apiKey, PlannedEvent planned, CancellationToken cancellationToken) =>
        planned.Warning
            ? events.WarningAsync(apiKey, planned.Reason, planned.Message, cancellationToken)
            : events.NormalAsync(apiKey, planned.Reason, planned.Message, cancellationToken);

    /// <summary>What this controller owns of an ApiKey: status but the usage fields, and the finalizers.</summary>
    internal static string Fingerprint(ApiKey apiKey)
    {
        var status = KubernetesJson.Deserialize<ApiKeyStatus>(KubernetesJson.Serialize(apiKey.Status ?? new ApiKeyStatus()));
        status.Usage = null;
        status.LastUsedAt = null;
        return KubernetesJson.Serialize(status) + "|" + string.Join(",", apiKey.Metadata.Finalizers ?? []);
    }

    /// <summary>A digest of what the operator writes into a Secret (the credential included, never kept in clear).</summary>
    internal static string SecretFingerprint(V1Secret secret) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(KubernetesJson.Serialize(new { secret.Data, secret.Metadata.Annotations }))));

    private static bool IsStalledOnForeignSecret(ApiKey apiKey) =>
        Conditions.Find(apiKey.Status?.Conditions, ConditionTypes.Stalled) is { Status: ConditionStatuses.True, Reason: Reasons.SecretConflict } stalled
        && stalled.ObservedGeneration == apiKey.Metadata.Generation;

    private static bool HasFinalizer(ApiKey apiKey) => apiKey.Metadata.Finalizers?.Contains(WellKnown.Finalizer) == true;

    private static ObjectKey SecretKey(ApiKey apiKey) => new(apiKey.Metadata.NamespaceProperty, apiKey.Spec.SecretName);

    private static ObjectKey? PreviousSecretKey(ApiKey apiKey) =>
        apiKey.Status?.SecretName is { Length: > 0 } previous && previous != apiKey.Spec.SecretName
            ? new ObjectKey(apiKey.Metadata.NamespaceProperty, previous)
            : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "ApiKey {ApiKey}: issued key {KeyId} into Secret {Secret}")]
    private partial void LogIssued(string apiKey, string keyId, string? secret);

    [LoggerMessage(Level = LogLevel.Debug, Message = "ApiKey {ApiKey}: wrote Secret {Secret} holding key {KeyId}")]
    private partial void LogSecretWritten(string apiKey, string secret, string? keyId);

    [LoggerMessage(Level = LogLevel.Information, Message = "ApiKey {ApiKey}: created ApiKeyRotation {Rotation} for key {KeyId}")]
    private partial void LogRotationScheduled(string apiKey, string rotation, string? keyId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "ApiKey {ApiKey}: the API server refused its Secret: {Error}")]
    private partial void LogSecretRejected(string apiKey, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "ApiKey {ApiKey}: deleted Secret {Secret}")]
    private partial void LogSecretDeleted(string apiKey, string secret);

    [LoggerMessage(Level = LogLevel.Warning, Message = "ApiKey {ApiKey} is being deleted; could not {Step}, going on")]
    private partial void LogDeletionStepFailed(Exception exception, string apiKey, string step);

    [LoggerMessage(Level = LogLevel.Warning, Message = "ApiKey {ApiKey} is being deleted; its Deleted audit rows are not in the ledger yet, so the finalizer stays")]
    private partial void LogAuditPending(string apiKey);

    [LoggerMessage(Level = LogLevel.Information, Message = "ApiKey {ApiKey}: keys revoked, finalizer released")]
    private partial void LogFinalized(string apiKey);
}
