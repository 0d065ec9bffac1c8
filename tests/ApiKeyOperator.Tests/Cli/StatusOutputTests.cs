using ApiKeyOperator.Api;
using ApiKeyOperator.Cli;
using k8s.Models;
using Xunit;

namespace ApiKeyOperator.Tests.Cli;

/// <summary>What <c>apikey-operator status</c> prints from the objects it read.</summary>
public sealed class StatusOutputTests
{
    private static readonly DateTime Now = new(2026, 6, 1, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void A_dependent_still_running_a_revoked_key_is_called_out()
    {
        var apiKey = ApiKeyWith(("new1", KeyStates.Active), ("old1", KeyStates.Revoked));
        V1Deployment[] deployments = [Deployment("web", "new1"), Deployment("batch", "old1")];

        var output = Print(apiKey, [], deployments);

        Assert.Matches(@"Deployment/web\s+new1\s", output);
        Assert.Matches(@"Deployment/batch\s+old1 \(Revoked!\)\s", output);
        Assert.Contains("! Deployment/batch still runs key old1, which is Revoked", output, StringComparison.Ordinal);
        Assert.DoesNotContain("! Deployment/web", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Rotation_history_shows_the_newest_five_with_strategy_phase_keys_and_age()
    {
        var apiKey = ApiKeyWith(("k7", KeyStates.Active));
        var rotations = Enumerable.Range(1, 7)
            .Select(i => Rotation($"svc-{i}", "svc", Now.AddHours(-10 + i), i == 7 ? RotationPhases.RollingOut : RotationPhases.Succeeded, $"k{i - 1}", $"k{i}"))
            .Append(Rotation("other-1", "other", Now, RotationPhases.Failed, "x", "y"))
            .ToList();

        var output = Print(apiKey, rotations, []);

        Assert.Contains("Rotations (newest 5 of 7):", output, StringComparison.Ordinal);
        var rows = output.Split('\n').Where(l => l.TrimStart().StartsWith("svc-", StringComparison.Ordinal)).Select(l => l.Trim()).ToList();
        Assert.Equal(["svc-7", "svc-6", "svc-5", "svc-4", "svc-3"], rows.Select(r => r.Split(' ')[0]));
        Assert.Matches(@"^svc-7\s+Graceful\s+RollingOut\s+k6 -> k7\s+3h$", rows[0]);
        Assert.DoesNotContain("other-1", output, StringComparison.Ordinal);
    }

    private static string Print(ApiKey apiKey, IReadOnlyList<ApiKeyRotation> rotations, IReadOnlyList<V1Deployment> deployments)
    {
        using var output = new StringWriter();
        StatusCommand.Print(output, apiKey, rotations, deployments, [], [], Now);
        return output.ToString();
    }

    private static ApiKey ApiKeyWith(params (string Id, string State)[] keys) => new()
    {
        Metadata = new V1ObjectMeta { Name = "svc", NamespaceProperty = "payments" },
        Spec = new ApiKeySpec { SecretName = "svc-key" },
        Status = new ApiKeyStatus
        {
            CurrentKeyId = keys[0].Id,
            Keys = [.. keys.Select(k => new KeyRecord { Id = k.Id, State = k.State })],
        },
    };

    private static V1Deployment Deployment(string name, string keyId) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "payments", Generation = 1 },
        Spec = new V1DeploymentSpec
        {
            Replicas = 1,
            Selector = new V1LabelSelector(),
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Annotations = new Dictionary<string, string> { [WellKnown.KeyIdAnnotation] = keyId } },
                Spec = new V1PodSpec
                {
                    Containers = [new V1Container { Name = "app" }],
                    Volumes = [new V1Volume { Name = "key", Secret = new V1SecretVolumeSource { SecretName = "svc-key" } }],
                },
            },
        },
        Status = new V1DeploymentStatus { ObservedGeneration = 1, Replicas = 1, UpdatedReplicas = 1, AvailableReplicas = 1, ReadyReplicas = 1 },
    };

    private static ApiKeyRotation Rotation(string name, string apiKey, DateTime created, string phase, string oldKey, string newKey) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "payments", CreationTimestamp = created },
        Spec = new ApiKeyRotationSpec { ApiKeyName = apiKey, Strategy = RotationStrategies.Graceful },
        Status = new ApiKeyRotationStatus { Phase = phase, OldKeyId = oldKey, NewKeyId = newKey },
    };
}
