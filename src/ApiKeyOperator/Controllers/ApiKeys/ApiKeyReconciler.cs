using System.Net;
using System.Text.Json;
using ApiKeyOperator.Api;
using ApiKeyOperator.Keys;
using ApiKeyOperator.Runtime;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace ApiKeyOperator.Controllers.ApiKeys;

/// <summary>
/// The ApiKey controller's I/O: reads the caches, lets <see cref="ApiKeyPlanner"/> decide, and carries the
/// plan out in crash-safe order (Secret, old Secret deletion, status, Events). Decisions that write are
/// re-made on state read from the API server, because the caches can lag behind recent writes.
/// </summary>
public sealed partial class ApiKeyReconciler(
    IObjectCache<ApiKey> apiKeys,
    IObjectCache<V1Secret> secrets,
    IResourceClient<V1Secret> secretClient,
    IResourceClient<ApiKey> apiKeyClient,
    IStatusWriter statusWriter,
    IEventRecorder events,
    TimeProvider time,
    ILogger<ApiKeyReconciler> logger) : IReconciler<ApiKey>
{
    private readonly KeyGenerator _generator = new();

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var apiKey = apiKeys.Get(key);
        if (apiKey is null)
        {
            return ReconcileResult.Done;
        }

        if (apiKey.Metadata.DeletionTimestamp is not null)
        {
            return await FinalizeAsync(apiKey, cancellationToken);
        }

        var isLive = false;
        if (!HasFinalizer(apiKey))
        {
            apiKey = await PatchFinalizersAsync(apiKey, [.. apiKey.Metadata.Finalizers ?? [], WellKnown.Finalizer], cancellationToken);
            isLive = true;
        }

        var observed = new ApiKeyObservation(apiKey, secrets.Get(SecretKey(apiKey)), PreviousSecretKey(apiKey) is { } previous ? secrets.Get(previous) : null);
        var plan = Plan(observed);
        if (plan.HasWrites)
        {
            var live = isLive ? apiKey : await apiKeyClient.GetAsync(key, cancellationToken);
            if (live is null)
            {
                return ReconcileResult.Done;
            }

            if (live.Metadata.DeletionTimestamp is not null)
            {
                return await FinalizeAsync(live, cancellationToken);
            }

            observed = await ObserveLiveAsync(live, cancellationToken);
            plan = Plan(observed);
        }

        await ExecuteAsync(observed.ApiKey, plan, cancellationToken);
        return plan.NextDeadline is { } deadline ? ReconcileResult.After(deadline - time.GetUtcNow().UtcDateTime) : ReconcileResult.Done;
    }

    private ApiKeyPlan Plan(ApiKeyObservation observed) =>
        ApiKeyPlanner.Plan(observed, time.GetUtcNow().UtcDateTime, _generator.Generate);

    private async Task<ApiKeyObservation> ObserveLiveAsync(ApiKey apiKey, CancellationToken cancellationToken)
    {
        var secret = await secretClient.GetAsync(SecretKey(apiKey), cancellationToken);
        var previous = PreviousSecretKey(apiKey) is { } previousKey ? await secretClient.GetAsync(previousKey, cancellationToken) : null;
        return new ApiKeyObservation(apiKey, secret, previous);
    }

    private async Task ExecuteAsync(ApiKey apiKey, ApiKeyPlan plan, CancellationToken cancellationToken)
    {
        var apiKeyName = ObjectKey.Of(apiKey).ToString();
        if (plan.SecretWrite is { } secret)
        {
            await WriteSecretAsync(secret, plan.SecretWriteKind, cancellationToken);
            LogSecretWritten(apiKeyName, secret.Metadata.Name, plan.Status.CurrentKeyId);
        }

        if (plan.SecretToDelete is { } obsolete)
        {
            await secretClient.DeleteAsync(obsolete, cancellationToken);
            LogSecretDeleted(apiKeyName, obsolete.Name);
        }

        if (plan.StatusChanged)
        {
            var applied = false;
            var written = await statusWriter.UpdateAsync(
                Clone(apiKey),
                latest =>
                {
                    // Another writer (a rotation, usage tracking) moved status since we read it: decide again.
                    applied = ApiKeyPlanner.SameStatus(latest.Status, plan.BaseStatus);
                    if (applied)
                    {
                        latest.Status = Clone(plan.Status);
                    }

                    return applied;
                },
                cancellationToken);
            if (written is null)
            {
                return;
            }

            if (!applied)
            {
                throw new StaleObjectException($"status of ApiKey {apiKeyName} changed while it was reconciled");
            }
        }

        if (plan.IssuedKeyId is { } issued)
        {
            LogIssued(apiKeyName, issued, plan.Status.SecretName);
        }

        foreach (var planned in plan.Events)
        {
            await RecordAsync(apiKey, planned, cancellationToken);
        }
    }

    private async Task WriteSecretAsync(V1Secret secret, SecretWriteKind kind, CancellationToken cancellationToken)
    {
        try
        {
            _ = kind == SecretWriteKind.Create
                ? await secretClient.CreateAsync(secret, cancellationToken)
                : await secretClient.ReplaceAsync(secret, cancellationToken);
        }
        catch (HttpOperationException e)
        {
            throw new SecretWriteException(
                $"{kind} of Secret {secret.Metadata.NamespaceProperty}/{secret.Metadata.Name} failed: HTTP {(int?)e.Response?.StatusCode} {e.Response?.StatusCode}");
        }
    }

    /// <summary>
    /// Deletion: revoke every key, delete the Secret(s) this ApiKey owns, release the finalizer. Only the
    /// last step can hold the deletion up; a failure before it is logged and deletion goes on.
    /// </summary>
    private async Task<ReconcileResult> FinalizeAsync(ApiKey apiKey, CancellationToken cancellationToken)
    {
        if (!HasFinalizer(apiKey))
        {
            return ReconcileResult.Done;
        }

        var apiKeyName = ObjectKey.Of(apiKey).ToString();
        var now = time.GetUtcNow().UtcDateTime;
        var plan = ApiKeyPlanner.PlanDeletion(apiKey, now);
        try
        {
            if (plan.StatusChanged)
            {
                // The status write moves resourceVersion; the finalizer patch below needs the new one.
                apiKey = await statusWriter.UpdateAsync(
                    Clone(apiKey),
                    latest =>
                    {
                        var revoked = ApiKeyPlanner.PlanDeletion(latest, now);
                        latest.Status = revoked.Status;
                        return revoked.StatusChanged;
                    },
                    cancellationToken) ?? apiKey;
            }

            foreach (var planned in plan.Events)
            {
                await RecordAsync(apiKey, planned, cancellationToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogDeletionStepFailed(e, apiKeyName, "revoke keys in status");
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

        LogFinalized(apiKeyName);
        return ReconcileResult.Done;
    }

    private async Task<ApiKey> PatchFinalizersAsync(ApiKey apiKey, IReadOnlyList<string> finalizers, CancellationToken cancellationToken)
    {
        // resourceVersion in a merge patch is a precondition: a concurrent change fails with 409, not lost.
        var patch = JsonSerializer.Serialize(new { metadata = new { finalizers, resourceVersion = apiKey.Metadata.ResourceVersion } });
        return await apiKeyClient.PatchAsync(ObjectKey.Of(apiKey), patch, cancellationToken);
    }

    private Task RecordAsync(ApiKey apiKey, PlannedEvent planned, CancellationToken cancellationToken) =>
        planned.Warning
            ? events.WarningAsync(apiKey, planned.Reason, planned.Message, cancellationToken)
            : events.NormalAsync(apiKey, planned.Reason, planned.Message, cancellationToken);

    private static bool HasFinalizer(ApiKey apiKey) => apiKey.Metadata.Finalizers?.Contains(WellKnown.Finalizer) == true;

    private static ObjectKey SecretKey(ApiKey apiKey) => new(apiKey.Metadata.NamespaceProperty, apiKey.Spec.SecretName);

    private static ObjectKey? PreviousSecretKey(ApiKey apiKey) =>
        apiKey.Status?.SecretName is { Length: > 0 } previous && previous != apiKey.Spec.SecretName
            ? new ObjectKey(apiKey.Metadata.NamespaceProperty, previous)
            : null;

    private static T Clone<T>(T value) => KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(value));

    [LoggerMessage(Level = LogLevel.Information, Message = "ApiKey {ApiKey}: issued key {KeyId} into Secret {Secret}")]
    private partial void LogIssued(string apiKey, string keyId, string? secret);

    [LoggerMessage(Level = LogLevel.Debug, Message = "ApiKey {ApiKey}: wrote Secret {Secret} holding key {KeyId}")]
    private partial void LogSecretWritten(string apiKey, string secret, string? keyId);

    [LoggerMessage(Level = LogLevel.Information, Message = "ApiKey {ApiKey}: deleted Secret {Secret}")]
    private partial void LogSecretDeleted(string apiKey, string secret);

    [LoggerMessage(Level = LogLevel.Warning, Message = "ApiKey {ApiKey} is being deleted; could not {Step}, going on")]
    private partial void LogDeletionStepFailed(Exception exception, string apiKey, string step);

    [LoggerMessage(Level = LogLevel.Information, Message = "ApiKey {ApiKey}: keys revoked, finalizer released")]
    private partial void LogFinalized(string apiKey);
}
