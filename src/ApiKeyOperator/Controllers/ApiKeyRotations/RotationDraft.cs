using ApiKeyOperator.Api;
using k8s;

namespace ApiKeyOperator.Controllers.ApiKeyRotations;

/// <summary>
/// The working copy of one <see cref="RotationPlanner"/> decision: a cloned status, the Events and audit rows
/// gathered so far, and the kstatus conditions of each state. <see cref="Result"/> writes only a changed status.
/// </summary>
internal sealed class RotationDraft
{
    /// <summary>Audit rows kept in status at most; older rows that landed go first, a ledger outage drops the oldest.</summary>
    public const int MaxPendingAudit = 20;

    private readonly string _base;
    private readonly List<PlannedEvent> _events = [];
    private readonly List<PlannedEvent> _apiKeyEvents = [];
    private readonly List<PlannedAudit> _audit = [];
    private readonly IReadOnlySet<string> _landed;

    public RotationDraft(RotationObservation observed)
    {
        Rotation = observed.Rotation;
        _landed = observed.LandedAudit;
        Now = Time.TruncateToSeconds(observed.Now);
        ExactNow = Time.Utc(observed.Now);
        _base = KubernetesJson.Serialize(observed.Rotation.Status ?? new ApiKeyRotationStatus());
        Status = KubernetesJson.Deserialize<ApiKeyRotationStatus>(_base);
        Actor = observed.Requester.AuditName;
    }

    public ApiKeyRotation Rotation { get; }

    public ApiKeyRotationStatus Status { get; }

    public string Name => Rotation.Metadata.Name;

    public string ApiKeyName => Rotation.Spec.ApiKeyName;

    public string Actor { get; }

    /// <summary>Second precision, as every time in status.</summary>
    public DateTime Now { get; }

    public DateTime ExactNow { get; }

    public string? Finished { get; private set; }

    public void Event(bool warning, string reason, string message) => _events.Add(new PlannedEvent(warning, reason, message));

    public void ApiKeyEvent(bool warning, string reason, string message) => _apiKeyEvents.Add(new PlannedEvent(warning, reason, message));

    public void Audit(string kind, string? keyId, string message, string? reason = null) =>
        _audit.Add(new PlannedAudit(kind, keyId, Actor, AuditKinds.Key(kind, Rotation.Metadata.Uid), reason ?? Rotation.Spec.Reason, Name, message));

    /// <summary>Ready, Reconciling and Stalled together, with one reason and message.</summary>
    public void Conditions(bool ready, bool reconciling, bool stalled, string reason, string message)
    {
        var conditions = Status.Conditions ??= [];
        var generation = Rotation.Metadata.Generation;
        Status.ObservedGeneration = generation;
        Api.Conditions.Set(conditions, ConditionTypes.Ready, ready, reason, message, generation, Now);
        Api.Conditions.Set(conditions, ConditionTypes.Reconciling, reconciling, reason, message, generation, Now);
        Api.Conditions.Set(conditions, ConditionTypes.Stalled, stalled, reason, message, generation, Now);
    }

    public void InProgress(string reason, string message) => Conditions(ready: false, reconciling: true, stalled: false, reason, message);

    public void Waiting(bool stalled, string reason, string message)
    {
        Status.Phase = RotationPhases.Pending;
        Conditions(ready: false, reconciling: !stalled, stalled, reason, message);
    }

    /// <summary>Ends the rotation as Failed: Stalled, Warning events, an audit row. Revokes nothing.</summary>
    public void Fail(string reason, string message, string? keyId = null)
    {
        Status.Phase = RotationPhases.Failed;
        Status.CompletedAt = Now;
        Conditions(ready: false, reconciling: false, stalled: true, reason, message);
        Event(true, reason, message);
        ApiKeyEvent(true, Reasons.RotationFailed, $"ApiKeyRotation {Name} failed ({reason}): {message}");
        Audit(AuditKinds.RotationFailed, keyId ?? Status.NewKeyId ?? Status.OldKeyId, message, reason);
        Finished = "failed";
    }

    public void Succeed(string message)
    {
        Status.Phase = RotationPhases.Succeeded;
        Status.CompletedAt = Now;
        Conditions(ready: true, reconciling: false, stalled: false, Reasons.RotationSucceeded, message);
        Event(false, Reasons.RotationSucceeded, message);
        Audit(AuditKinds.RotationSucceeded, Status.NewKeyId, message);
        Finished = "succeeded";
    }

    public RotationPlan Result(IReadOnlyList<Rollouts.WorkloadRef>? rolls = null, TimeSpan? requeueAfter = null)
    {
        var added = _audit.Select(a => a.ToRecord(Now)).ToList();
        var changed = added.Count > 0 || KubernetesJson.Serialize(Status) != _base;
        if (changed)
        {
            // The outbox rides along: new rows in, rows known to have landed out (only in a write that happens anyway).
            var pending = (Status.PendingAudit ?? []).Where(r => !_landed.Contains(r.IdempotencyKey)).Concat(added).ToList();
            Status.PendingAudit = pending.Count == 0 ? null : pending.Skip(Math.Max(0, pending.Count - MaxPendingAudit)).ToList();
        }

        return new RotationPlan
        {
            Status = changed ? Status : null,
            Rolls = rolls ?? [],
            Events = changed ? _events : [],
            ApiKeyEvents = changed ? _apiKeyEvents : [],
            Audit = _audit,
            Finished = changed ? Finished : null,
            RequeueAfter = requeueAfter,
        };
    }
}
