using ApiKeyOperator.Api;
using ApiKeyOperator.Controllers.ApiKeys;
using ApiKeyOperator.Keys;
using ApiKeyOperator.Rollouts;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;

namespace ApiKeyOperator.Tests.Controllers;

/// <summary>
/// A fixed clock, an ApiKey and its Secret as the API server would hold them; <see cref="Plan"/> runs the
/// planner and <see cref="Apply"/> carries a plan out the way the reconciler does, so tests can chain steps.
/// </summary>
internal sealed class PlannerFixture
{
    public static readonly DateTimeOffset Start = new(2026, 11, 23, 14, 0, 0, TimeSpan.Zero);

    private readonly KeyGenerator _generator = new();

    public PlannerFixture(Action<ApiKeySpec>? spec = null)
    {
        ApiKey = new ApiKey
        {
            Metadata = new V1ObjectMeta { Name = "billing-exporter", NamespaceProperty = "payments", Uid = "uid-1", Generation = 1 },
            Spec = new ApiKeySpec { SecretName = "billing-exporter-key", Scopes = ["recordings:read"] },
        };
        spec?.Invoke(ApiKey.Spec);
    }

    public FakeTimeProvider Clock { get; } = new(Start);

    public DateTime Now => Clock.GetUtcNow().UtcDateTime;

    public ApiKey ApiKey { get; set; }

    public V1Secret? Secret { get; set; }

    public V1Secret? PreviousSecret { get; set; }

    /// <summary>Every credential the planner asked for, in order.</summary>
    public List<IssuedCredential> Issued { get; } = [];

    public List<ApiKeyRotation> Rotations { get; } = [];

    /// <summary>Workloads named in spec.rollout.targets that the caches do not hold.</summary>
    public HashSet<WorkloadRef> MissingTargets { get; } = [];

    public ApiKeyPlan Plan() =>
        ApiKeyPlanner.Plan(new ApiKeyObservation(ApiKey, Secret, PreviousSecret, Rotations) { MissingTargets = MissingTargets }, Now, (format, prefix, keyId) =>
        {
            var credential = keyId is null ? _generator.Generate(format, prefix) : _generator.Generate(format, prefix, keyId);
            Issued.Add(credential);
            return credential;
        });

    /// <summary>A rotation of this ApiKey as the rotation controller leaves it.</summary>
    public ApiKeyRotation AddRotation(string name, string phase, string? newKeyId = null, string strategy = RotationStrategies.Graceful, DateTime? completedAt = null)
    {
        var rotation = new ApiKeyRotation
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "payments", Uid = "rotation-" + name },
            Spec = new ApiKeyRotationSpec { ApiKeyName = ApiKey.Metadata.Name, Strategy = strategy },
            Status = new ApiKeyRotationStatus
            {
                Phase = phase,
                OldKeyId = ApiKey.Status.CurrentKeyId,
                NewKeyId = newKeyId,
                CompletedAt = completedAt,
            },
        };
        Rotations.Add(rotation);
        return rotation;
    }

    /// <summary>Plans and applies; returns the plan.</summary>
    public ApiKeyPlan Step()
    {
        var plan = Plan();
        Apply(plan);
        return plan;
    }

    public void Apply(ApiKeyPlan plan)
    {
        if (plan.SecretToDelete is { } deleted && PreviousSecret?.Metadata.Name == deleted.Name)
        {
            PreviousSecret = null;
        }

        if (plan.SecretWrite is not null)
        {
            Secret = Clone(plan.SecretWrite);
        }

        if (plan.StatusChanged)
        {
            ApiKey.Status = Clone(plan.Status);
        }
    }

    /// <summary>Changes the spec the way an update does: generation goes up.</summary>
    public void EditSpec(Action<ApiKeySpec> edit)
    {
        edit(ApiKey.Spec);
        ApiKey.Metadata.Generation++;
    }

    public KeyRecord Key(string id) => ApiKey.Status.Keys!.Single(k => k.Id == id);

    public KeyRecord CurrentKey => Key(ApiKey.Status.CurrentKeyId!);

    public string SecretText(string dataKey) => System.Text.Encoding.UTF8.GetString(Secret!.Data[dataKey]);

    public static T Clone<T>(T value) => KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(value));
}
