using ApiKeyOperator.Api;
using ApiKeyOperator.Controllers;
using ApiKeyOperator.Controllers.ApiKeyRotations;
using ApiKeyOperator.Controllers.ApiKeys;
using ApiKeyOperator.Identity;
using ApiKeyOperator.Keys;
using ApiKeyOperator.Rollouts;
using k8s;
using k8s.Models;

namespace ApiKeyOperator.Tests.Controllers.ApiKeyRotations;

/// <summary>
/// A model of one ApiKey, its Secret, its rotations and three dependent Deployments, driven only through the two
/// pure planners exactly as the reconcilers carry their plans out. Every step checks the rotation invariants and
/// throws (with the step history) when one breaks. Workload pods keep running the key they started with until a
/// "ready" step lets the rolled pods take over, as a real rollout does.
/// </summary>
internal sealed class RotationWorld
{
    public static readonly DateTime Start = new(2026, 11, 23, 14, 0, 0, DateTimeKind.Utc);

    private static readonly Requester User = new("alice", ["editors"], "u-1");
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(30);
    private readonly KeyGenerator _generator = new();
    private readonly List<string> _history = [];
    private readonly Dictionary<string, Workload> _workloads = [];
    private readonly Dictionary<(string Workload, string KeyId), int> _rolls = [];
    private readonly Dictionary<string, HashSet<string>> _issuedFor = [];
    private readonly Dictionary<string, (HashSet<string> Compromised, bool Exempt)> _emergencies = [];
    private readonly HashSet<string> _operatorRotations = [];
    private readonly Dictionary<string, DateTime> _graceStarted = [];
    private int _ids = 0x10000000;
    private int _rotationNames;

    public RotationWorld()
    {
        ApiKey = new ApiKey
        {
            Metadata = new V1ObjectMeta { Name = "svc", NamespaceProperty = "ns", Uid = "ak-uid", Generation = 1, Finalizers = [WellKnown.Finalizer] },
            Spec = new ApiKeySpec
            {
                SecretName = "svc-key",
                Validity = "8760h",
                Rotation = new ApiKeyRotationPolicy { GracePeriod = GoDuration.Format(Grace) },
                Rollout = new RolloutSpec { Timeout = "15m" },
            },
        };
        foreach (var name in new[] { "a", "b", "c" })
        {
            _workloads[name] = new Workload();
        }

        ReconcileApiKey();
        foreach (var workload in _workloads.Values)
        {
            workload.Running = ApiKey.Status.CurrentKeyId;
        }
    }

    public ApiKey ApiKey { get; }

    public V1Secret? Secret { get; private set; }

    public List<ApiKeyRotation> Rotations { get; } = [];

    public DateTime Now { get; private set; } = Start;

    public int Steps { get; private set; }

    /// <summary>Mutations that make the model violate an invariant, to prove the checks bite.</summary>
    public bool IgnoreReadiness { get; init; }

    /// <summary>Publishes "revoke the old key now" where the planner published the end of the grace period.</summary>
    public bool IgnoreGrace { get; init; }

    public void Do(int action, int pick)
    {
        Steps++;
        switch (action)
        {
            case 0: CreateRotation(pick % 4 == 0 ? RotationStrategies.Emergency : RotationStrategies.Graceful); break;
            case 1: DeleteRotation(pick); break;
            case 2: EditRotation(pick); break;
            case 3: WorkloadReady(pick); break;
            case 4: WorkloadNotReady(pick); break;
            case 5: WorkloadDeleted(pick); break;
            case 6: Advance(pick); break;
            case 7: ReconcileApiKey(); break;
            case 8: ReconcileApiKey(crashAfterSecret: true); break;
            case 9: ReconcileRotation(pick, crashBeforeRolls: false); break;
            case 10: ReconcileRotation(pick, crashBeforeRolls: true); break;
            case 11: DeleteSecret(); break;
            default: ReconcileRotation(pick, crashBeforeRolls: false); break;
        }

        CheckMessages();
    }

    public void CreateRotation(string strategy)
    {
        var name = $"r{++_rotationNames}";
        Log($"create {strategy} rotation {name}");
        var rotation = new ApiKeyRotation
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "ns", Uid = "uid-" + name, CreationTimestamp = Now, Generation = 1 },
            Spec = new ApiKeyRotationSpec { ApiKeyName = ApiKey.Metadata.Name, Strategy = strategy, Reason = "model" },
        };
        Rotations.Add(rotation);
        if (strategy == RotationStrategies.Emergency)
        {
            _emergencies[name] = ([.. (ApiKey.Status.Keys ?? []).Where(k => KeyStates.IsValid(k.State)).Select(k => k.Id)], false);
        }
    }

    private void DeleteRotation(int pick)
    {
        if (Rotations.Count == 0)
        {
            return;
        }

        var rotation = Rotations[pick % Rotations.Count];
        Log($"delete rotation {rotation.Metadata.Name}");
        Rotations.Remove(rotation);
        Exempt(rotation.Metadata.Name);
    }

    private void EditRotation(int pick)
    {
        if (Rotations.Count == 0)
        {
            return;
        }

        var rotation = Rotations[pick % Rotations.Count];
        Log($"edit spec of rotation {rotation.Metadata.Name}");
        rotation.Spec.Reason = "edited";
        rotation.Metadata.Generation++;
        Exempt(rotation.Metadata.Name);
    }

    private void WorkloadReady(int pick)
    {
        var (name, workload) = _workloads.ElementAt(pick % _workloads.Count);
        if (workload.Exists && workload.Template is not null)
        {
            Log($"workload {name} Ready on {workload.Template}");
            workload.Running = workload.Template;
            workload.Ready = true;
        }
    }

    private void WorkloadNotReady(int pick)
    {
        var (name, workload) = _workloads.ElementAt(pick % _workloads.Count);
        Log($"workload {name} not Ready");
        workload.Ready = false;
    }

    private void WorkloadDeleted(int pick)
    {
        var (name, workload) = _workloads.ElementAt(pick % _workloads.Count);
        Log($"workload {name} deleted");
        workload.Exists = false;
    }

    private void DeleteSecret()
    {
        Log("Secret deleted");
        Secret = null;
    }

    private void Advance(int pick)
    {
        var step = new[] { TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(20), TimeSpan.FromHours(2) }[pick % 5];
        Now += step;
        Log($"time +{GoDuration.Format(step)}");
    }

    public void ReconcileApiKey(bool crashAfterSecret = false)
    {
        var observed = new ApiKeyObservation(ApiKey, Secret, null, [.. Rotations])
        {
            SpecRequester = User,
            RotationRequesters = Rotations.ToDictionary(r => r.Metadata.Name, RequesterOf),
            LandedAudit = Landed(ApiKey.Status?.PendingAudit), // the outbox sent them after the last write
        };
        var plan = ApiKeyPlanner.Plan(observed, Now, (format, prefix, keyId) => _generator.Generate(format, prefix, keyId ?? NextId()));
        Log($"reconcile ApiKey{(crashAfterSecret ? " (crash after the Secret write)" : "")}: {string.Join(", ", plan.Audit.Select(a => $"{a.Kind} {a.KeyId} {a.Reason}"))}");
        if (plan.PendingStatus is { } pending)
        {
            ApiKey.Status = Clone(pending);
        }

        if (plan.SecretWrite is { } secret)
        {
            Secret = Clone(secret);
        }

        if (crashAfterSecret && plan.PendingStatus is not null)
        {
            return;
        }

        foreach (var row in plan.Audit)
        {
            CheckAudit(row);
        }

        if (plan.StatusChanged)
        {
            ApiKey.Status = Clone(plan.Status);
        }

        if (plan.RotationToCreate is { } created && Rotations.All(r => r.Metadata.Name != created.Metadata.Name))
        {
            var rotation = Clone(created);
            rotation.Metadata.Uid = "uid-" + rotation.Metadata.Name;
            rotation.Metadata.CreationTimestamp = Now;
            rotation.Metadata.Generation = 1;
            Rotations.Add(rotation);
            _operatorRotations.Add(rotation.Metadata.Name);
            Log($"operator created rotation {rotation.Metadata.Name}");
        }

        Rotations.RemoveAll(r => plan.RotationsToDelete.Any(k => k.Name == r.Metadata.Name));
        CheckEmergencies();
    }

    private void ReconcileRotation(int pick, bool crashBeforeRolls)
    {
        if (Rotations.Count == 0)
        {
            return;
        }

        var rotation = Rotations[pick % Rotations.Count];
        var workloads = _workloads.Where(w => w.Value.Exists).ToDictionary(
            w => new WorkloadRef(WorkloadKinds.Deployment, w.Key),
            w => new WorkloadSnapshot(
                new WorkloadRef(WorkloadKinds.Deployment, w.Key),
                Template(w.Value.Template),
                (IgnoreReadiness || (w.Value.Ready && w.Value.Running == w.Value.Template)) ? RolloutStatus.Ready("ready") : RolloutStatus.Progressing("rolling")));
        var plan = RotationPlanner.Plan(new RotationObservation
        {
            Rotation = rotation,
            ApiKey = ApiKey,
            Siblings = [.. Rotations],
            Workloads = workloads,
            Dependents = [.. workloads.Keys.Order()],
            Requester = RequesterOf(rotation),
            CandidateKeyId = NextId(),
            LandedAudit = Landed(rotation.Status?.PendingAudit),
            Now = Now,
        });
        var before = rotation.Status?.Phase;
        if (plan.Status is { } status)
        {
            if (RotationPhases.IsFinished(before) && status.Phase != before)
            {
                Fail($"finished rotation {rotation.Metadata.Name} moved from {before} to {status.Phase}");
            }

            rotation.Status = Clone(status);
            if (status.Phase == RotationPhases.GracePeriod)
            {
                _graceStarted.TryAdd(rotation.Metadata.Name, Now);
                if (IgnoreGrace)
                {
                    rotation.Status.RevokeOldKeyAt = Now;
                }
            }
        }

        Log($"reconcile rotation {rotation.Metadata.Name}: {before ?? "new"} -> {rotation.Status?.Phase}{(plan.Rolls.Count > 0 ? " rolls " + string.Join(",", plan.Rolls.Select(r => r.Name)) : "")}{(crashBeforeRolls ? " (crash before the rolls)" : "")}");
        if (crashBeforeRolls)
        {
            return;
        }

        foreach (var roll in plan.Rolls)
        {
            var keyId = rotation.Status!.NewKeyId!;
            var count = _rolls[(roll.Name, keyId)] = _rolls.GetValueOrDefault((roll.Name, keyId)) + 1;
            if (count > 1)
            {
                Fail($"workload {roll.Name} rolled twice to key {keyId}");
            }

            var workload = _workloads[roll.Name];
            workload.Template = keyId;
            workload.Ready = false; // old pods keep running the old key until the new ones are Ready
        }
    }

    private void CheckAudit(PlannedAudit row)
    {
        if (row.Kind == AuditKinds.Issued && row.Rotation is { } rotation)
        {
            var issued = _issuedFor.TryGetValue(rotation, out var ids) ? ids : _issuedFor[rotation] = [];
            issued.Add(row.KeyId!);
            if (issued.Count > 1)
            {
                Fail($"rotation {rotation} issued two keys: {string.Join(", ", issued)}");
            }
        }

        // Graceful: never revoke a key a dependent still runs. (Emergency revokes on purpose; a leftover key's lifetime is bounded on purpose.)
        if (row.Kind == AuditKinds.Revoked && row.Reason is Reasons.GracePeriodEnded or Reasons.KeyAdopted)
        {
            var users = _workloads.Where(w => w.Value.Exists && w.Value.Running == row.KeyId).Select(w => w.Key).ToList();
            if (users.Count > 0)
            {
                Fail($"key {row.KeyId} revoked ({row.Reason}) while workload(s) {string.Join(", ", users)} still run it");
            }
        }

        // Graceful: the old key outlives the complete rollout by the whole grace period.
        if (row.Kind == AuditKinds.Revoked && row.Reason == Reasons.GracePeriodEnded
            && (row.Rotation is null || !_graceStarted.TryGetValue(row.Rotation, out var started) || Now < started + Grace))
        {
            Fail($"key {row.KeyId} revoked at {Now:O} by rotation {row.Rotation} before the {GoDuration.Format(Grace)} grace period after its rollout ended");
        }
    }

    /// <summary>A compromised key is revoked within one reconcile of the Emergency request.</summary>
    private void CheckEmergencies()
    {
        foreach (var (name, (compromised, exempt)) in _emergencies)
        {
            var stillValid = compromised.Where(id => ApiKey.Status.Keys!.Any(k => k.Id == id && KeyStates.IsValid(k.State))).ToList();
            if (!exempt && stillValid.Count > 0)
            {
                Fail($"Emergency rotation {name} was requested, yet after an ApiKey reconcile key(s) {string.Join(", ", stillValid)} still verify");
            }
        }
    }

    /// <summary>Every condition message on the ApiKey and its rotations is whole sentences (what kubectl describe shows).</summary>
    private void CheckMessages()
    {
        var conditions = (ApiKey.Status?.Conditions ?? []).Select(c => ("ApiKey", c))
            .Concat(Rotations.SelectMany(r => (r.Status?.Conditions ?? []).Select(c => ($"rotation {r.Metadata.Name}", c))));
        foreach (var (owner, condition) in conditions)
        {
            var message = condition.Message ?? "";
            if (message.Length == 0 || !message.EndsWith('.') || message.Contains("..", StringComparison.Ordinal) || char.IsWhiteSpace(message[0]))
            {
                Fail($"{owner} condition {condition.Type} ({condition.Reason}) has a message that is not whole sentences: \"{message}\"");
            }
        }
    }

    private void Exempt(string rotation)
    {
        if (_emergencies.TryGetValue(rotation, out var emergency) && ApiKey.Status.Keys!.Any(k => emergency.Compromised.Contains(k.Id) && KeyStates.IsValid(k.State)))
        {
            _emergencies[rotation] = emergency with { Exempt = true };
        }
    }

    private static HashSet<string> Landed(IEnumerable<AuditRecord>? rows) => [.. (rows ?? []).Select(r => r.IdempotencyKey)];

    private Requester RequesterOf(ApiKeyRotation rotation) => _operatorRotations.Contains(rotation.Metadata.Name) ? Requester.Operator : User;

    private string NextId() => (_ids++).ToString("x8", System.Globalization.CultureInfo.InvariantCulture);

    private static V1PodTemplateSpec Template(string? keyId) => new()
    {
        Metadata = new V1ObjectMeta { Annotations = keyId is null ? null : new Dictionary<string, string> { [RollAnnotation.Name] = keyId } },
    };

    private void Log(string line) => _history.Add($"{Steps,5} {ApiKey.Status?.CurrentKeyId} {line}");

    private void Fail(string message) =>
        throw new InvalidOperationException($"{message}\nafter {Steps} steps:\n{string.Join("\n", _history.TakeLast(40))}");

    private static T Clone<T>(T value) => KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(value));

    private sealed class Workload
    {
        public bool Exists { get; set; } = true;

        public string? Template { get; set; }

        public string? Running { get; set; }

        public bool Ready { get; set; } = true;
    }
}
