using ApiKeyOperator.Api;
using ApiKeyOperator.Identity;
using ApiKeyOperator.Keys;
using ApiKeyOperator.Rollouts;
using ApiKeyOperator.Runtime;
using k8s;
using Microsoft.Extensions.Logging;

namespace ApiKeyOperator.Controllers.ApiKeyRotations;

/// <summary>
/// The rotation controller's I/O: reads the caches (never a GET the cache can answer), lets
/// <see cref="RotationPlanner"/> decide, and carries the plan out: the rotation's status (the only status it
/// writes), then the rolls of workloads frozen in a persisted status, Events, and the audit rows the status
/// carries. It acts only on a cache that has caught up with its own last write.
/// </summary>
public sealed partial class ApiKeyRotationReconciler(
    IObjectCache<ApiKeyRotation> rotations,
    IObjectCache<ApiKey> apiKeys,
    RotationIndex index,
    Workloads workloads,
    KeyGenerator keys,
    IStatusWriter statusWriter,
    IRequesterResolver requesters,
    AuditOutbox outbox,
    WriteExpectations expectations,
    IEventRecorder events,
    RotationMetrics metrics,
    TimeProvider time,
    ILogger<ApiKeyRotationReconciler> logger) : IReconciler<ApiKeyRotation>
{
    /// <summary>Safety net while the cache lags this process's own write; the watch event normally comes first.</summary>
    public static readonly TimeSpan StaleCacheRecheck = TimeSpan.FromSeconds(5);

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var rotation = rotations.Get(key);
        if (rotation is null)
        {
            index.Forget(key);
            expectations.Forget<ApiKeyRotation>(key);
            return ReconcileResult.Done;
        }

        if (expectations.IsStale(key, rotation, Fingerprint))
        {
            return ReconcileResult.After(StaleCacheRecheck);
        }

        index.Record(rotation);
        var ns = key.Namespace ?? "";
        var apiKey = apiKeys.Get(new ObjectKey(ns, rotation.Spec.ApiKeyName));
        var plan = RotationPlanner.Plan(Observe(rotation, apiKey, ns));

        var current = rotation;
        if (plan.Status is { } status)
        {
            var written = await statusWriter.UpdateAsync(rotation, r =>
            {
                r.Status = KubernetesJson.Deserialize<ApiKeyRotationStatus>(KubernetesJson.Serialize(status));
                return true;
            }, cancellationToken);
            if (written is null)
            {
                return ReconcileResult.Done;
            }

            expectations.Wrote(written, Fingerprint(written));
            index.Record(written);
            current = written;
            if (plan.Finished is { } result)
            {
                metrics.Finished(ns, rotation.Spec.ApiKeyName, result);
                LogFinished(key.ToString(), result, written.Status.Conditions?.FirstOrDefault(c => c.Type == ConditionTypes.Stalled)?.Message);
            }

            foreach (var planned in plan.Events)
            {
                await RecordAsync(written, planned, cancellationToken);
            }

            if (apiKey is not null)
            {
                foreach (var planned in plan.ApiKeyEvents)
                {
                    await RecordAsync(apiKey, planned, cancellationToken);
                }
            }
        }

        foreach (var workload in plan.Rolls)
        {
            await workloads.RollAsync(ns, workload, current.Status.NewKeyId!, cancellationToken);
            LogRolled(key.ToString(), workload.ToString(), current.Status.NewKeyId!);
        }

        await outbox.SendAsync(ns, rotation.Spec.ApiKeyName, apiKey?.Status?.Keys?.ToList(), current.Status?.PendingAudit, cancellationToken);
        return plan.RequeueAfter is { } after ? ReconcileResult.After(after) : ReconcileResult.Done;
    }

    internal static string Fingerprint(ApiKeyRotation rotation) => KubernetesJson.Serialize(rotation.Status);

    private RotationObservation Observe(ApiKeyRotation rotation, ApiKey? apiKey, string ns)
    {
        var siblings = RotationQueue.Of(rotations.List(ns), rotation.Spec.ApiKeyName).ToList();
        var refs = new HashSet<WorkloadRef>((rotation.Status?.Targets ?? []).Select(t => new WorkloadRef(t.Kind, t.Name)));
        IReadOnlyList<WorkloadRef> dependents = [];
        var phase = rotation.Status?.Phase;
        if (apiKey is not null && phase is null or RotationPhases.Pending or RotationPhases.Issuing)
        {
            var explicitTargets = (apiKey.Spec.Rollout?.Targets ?? []).Select(t => new WorkloadRef(t.Kind, t.Name)).ToList();
            refs.UnionWith(explicitTargets);
            dependents = workloads.Discover(ns, apiKey.Status?.SecretName ?? apiKey.Spec.SecretName, apiKey.Spec.Rollout?.AutoDiscover ?? true, explicitTargets);
            refs.UnionWith(dependents);
        }

        var snapshots = new Dictionary<WorkloadRef, WorkloadSnapshot>();
        var inFlight = new HashSet<WorkloadRef>();
        foreach (var workload in refs)
        {
            if (workloads.Get(ns, workload) is { } snapshot)
            {
                snapshots[workload] = snapshot;
            }

            if (rotation.Status?.NewKeyId is { } newKeyId && workloads.IsRollInFlight(ns, workload, newKeyId))
            {
                inFlight.Add(workload);
            }
        }

        var known = (apiKey?.Status?.Keys ?? []).Select(k => k.Id).ToHashSet(StringComparer.Ordinal);
        var candidate = keys.NewKeyId();
        while (known.Contains(candidate))
        {
            candidate = keys.NewKeyId();
        }

        return new RotationObservation
        {
            Rotation = rotation,
            ApiKey = apiKey,
            Siblings = siblings,
            Workloads = snapshots,
            Dependents = dependents,
            RollsInFlight = inFlight,
            Requester = requesters.ChangedBy(rotation),
            CandidateKeyId = candidate,
            LandedAudit = outbox.Landed(rotation.Status?.PendingAudit),
            Now = time.GetUtcNow().UtcDateTime,
        };
    }

    private Task RecordAsync(k8s.IKubernetesObject<k8s.Models.V1ObjectMeta> regarding, PlannedEvent planned, CancellationToken cancellationToken) =>
        planned.Warning
            ? events.WarningAsync(regarding, planned.Reason, planned.Message, cancellationToken)
            : events.NormalAsync(regarding, planned.Reason, planned.Message, cancellationToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rotation {Rotation} rolled {Workload} to key {KeyId}")]
    private partial void LogRolled(string rotation, string workload, string keyId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rotation {Rotation} finished: {Result} {Message}")]
    private partial void LogFinished(string rotation, string result, string? message);
}
