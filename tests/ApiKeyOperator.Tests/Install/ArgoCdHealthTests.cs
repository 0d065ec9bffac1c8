using System.Text.Json.Nodes;
using Xunit;
using YamlDotNet.RepresentationModel;
using static ApiKeyOperator.Tests.Install.HealthFixtures;

namespace ApiKeyOperator.Tests.Install;

/// <summary>Executes config/argocd's health Lua against every status the operator can write.</summary>
public sealed class ArgoCdHealthTests
{
    private const string ApiKeyKey = "resource.customizations.health.apikeyoperator.io_ApiKey";
    private const string RotationKey = "resource.customizations.health.apikeyoperator.io_ApiKeyRotation";

    private static readonly string ApiKeyScript = File.ReadAllText(RepoPaths.Combine("config", "argocd", "apikey-health.lua"));
    private static readonly string RotationScript = File.ReadAllText(RepoPaths.Combine("config", "argocd", "apikeyrotation-health.lua"));

    public static TheoryData<string, string, string, string> ApiKeyStates => new()
    {
        { "no status yet", ApiKey(1, null), "Progressing", "Waiting for the operator" },
        { "empty status", ApiKey(1, new JsonObject()), "Progressing", "Waiting for the operator to observe the latest spec" },
        { "spec edited, not yet observed", ApiKey(3, Status(2, Condition("Ready", "True", "Issued", "Key 3f9a1c2e issued"))),
            "Progressing", "Waiting for the operator to observe the latest spec" },
        { "observed, no conditions", ApiKey(1, Status(1)), "Progressing", "Waiting for the operator" },
        { "ready", ApiKey(1, Status(1, Condition("Ready", "True", "Issued", "Key 3f9a1c2e issued"),
                Condition("Reconciling", "False", "Issued", ""), Condition("Stalled", "False", "Issued", ""))),
            "Healthy", "Key 3f9a1c2e issued" },
        { "ready without message", ApiKey(1, Status(1, Condition("Ready", "True", "Issued", ""))), "Healthy", "Key issued" },
        { "issuing", ApiKey(1, Status(1, Condition("Ready", "False", "Issuing", "Issuing the first key"),
                Condition("Reconciling", "True", "Issuing", "Issuing the first key"))),
            "Progressing", "Issuing the first key" },
        { "rotating while ready", ApiKey(2, Status(2, Condition("Ready", "True", "Issued", "Key 3f9a1c2e issued"),
                Condition("Rotating", "True", "RotationInProgress", "Rotation billing-exporter-2026-11 is RollingOut"),
                Condition("Reconciling", "True", "RotationInProgress", "Rotating"))),
            "Progressing", "Rotation billing-exporter-2026-11 is RollingOut" },
        { "grace period of a rotation: only waiting is left", ApiKey(2, Status(2, Condition("Ready", "True", "Issued", "Key 7b2d9e01 is in Secret billing-exporter-key."),
                Condition("Rotating", "False", "GracePeriod", "ApiKeyRotation billing-exporter-2026-11 has rolled out key 7b2d9e01; key 3f9a1c2e is revoked at 2026-11-30T14:00:00Z."),
                Condition("Reconciling", "False", "Reconciled", "The spec is applied."))),
            "Healthy", "Key 7b2d9e01 is in Secret billing-exporter-key." },
        { "stalled on a foreign Secret", ApiKey(1, Status(1, Condition("Ready", "False", "SecretConflict", "Secret billing-exporter-key is not owned by this ApiKey"),
                Condition("Stalled", "True", "SecretConflict", "Secret billing-exporter-key is not owned by this ApiKey"))),
            "Degraded", "Secret billing-exporter-key is not owned by this ApiKey" },
        { "stalled wins over ready and rotating", ApiKey(1, Status(1, Condition("Ready", "True", "Issued", "Key 3f9a1c2e issued"),
                Condition("Rotating", "True", "RotationInProgress", "Rotating"),
                Condition("Stalled", "True", "InvalidSpec", "spec.prefix must end with '_'"))),
            "Degraded", "spec.prefix must end with '_'" },
        { "stalled without message", ApiKey(1, Status(1, Condition("Stalled", "True", "InvalidSpec", ""))), "Degraded", "Stalled" },
        { "expired", ApiKey(1, Status(1, Condition("Ready", "False", "Expired", "Key 3f9a1c2e expired at 2027-11-23T14:00:00Z"),
                Condition("Reconciling", "False", "Expired", ""))),
            "Degraded", "Key 3f9a1c2e expired at 2027-11-23T14:00:00Z" },
        { "ready unknown", ApiKey(1, Status(1, Condition("Ready", "Unknown", "Starting", "starting"))), "Progressing", "Waiting for the operator" },
    };

    public static TheoryData<string, string, string, string> RotationStates => new()
    {
        { "no status yet", Rotation(1, null), "Progressing", "Waiting for the operator" },
        { "spec edited, not yet observed", Rotation(2, RotationStatus(1, "Succeeded")), "Progressing", "Waiting for the operator to observe the latest spec" },
        { "observed, no phase", Rotation(1, Status(1)), "Progressing", "Waiting for the operator" },
        { "pending behind another rotation", Rotation(1, RotationStatus(1, "Pending",
                Condition("Reconciling", "True", "WaitingForRotation", "Waiting for rotation billing-exporter-2026-10"))),
            "Progressing", "Pending: Waiting for rotation billing-exporter-2026-10" },
        { "issuing", Rotation(1, RotationStatus(1, "Issuing")), "Progressing", "Issuing" },
        { "rolling out", Rotation(1, WithTargets(RotationStatus(1, "RollingOut",
                Condition("Reconciling", "True", "RollingOut", "Waiting for dependents to become Ready")),
                Target("exporter", true), Target("api", false))),
            "Progressing", "RollingOut: Waiting for dependents to become Ready (1/2 targets ready)" },
        { "grace period", Rotation(1, RotationStatus(1, "GracePeriod",
                Condition("Ready", "False", "GracePeriod", "All 2 dependents are Ready on key 7b2d9e01. Key 3f9a1c2e is revoked at 2026-11-30T14:00:00Z."),
                Condition("Reconciling", "False", "GracePeriod", "All 2 dependents are Ready on key 7b2d9e01. Key 3f9a1c2e is revoked at 2026-11-30T14:00:00Z."))),
            "Healthy", "GracePeriod: All 2 dependents are Ready on key 7b2d9e01. Key 3f9a1c2e is revoked at 2026-11-30T14:00:00Z." },
        { "succeeded", Rotation(1, RotationStatus(1, "Succeeded",
                Condition("Ready", "True", "Succeeded", "Key 7b2d9e01 active, 3f9a1c2e revoked"),
                Condition("Reconciling", "False", "Succeeded", ""))),
            "Healthy", "Key 7b2d9e01 active, 3f9a1c2e revoked" },
        { "succeeded without conditions", Rotation(1, RotationStatus(1, "Succeeded")), "Healthy", "Rotation succeeded" },
        { "failed on a timeout", Rotation(1, RotationStatus(1, "Failed",
                Condition("Ready", "False", "RolloutTimeout", "Ready condition"),
                Condition("Stalled", "True", "RolloutTimeout", "Deployment api not Ready within 10m; nothing revoked"))),
            "Degraded", "Deployment api not Ready within 10m; nothing revoked" },
        { "failed, message only on Ready", Rotation(1, RotationStatus(1, "Failed",
                Condition("Ready", "False", "TargetNotFound", "Deployment exporter not found"))),
            "Degraded", "Deployment exporter not found" },
        { "failed without conditions", Rotation(1, RotationStatus(1, "Failed")), "Degraded", "Rotation failed" },
        { "stalled before a phase is set", Rotation(1, Status(1,
                Condition("Stalled", "True", "InvalidSpec", "ApiKey billing-exporter not found"))),
            "Degraded", "ApiKey billing-exporter not found" },
        { "phase from a newer operator", Rotation(1, RotationStatus(1, "Paused")), "Unknown", "Unrecognised phase Paused" },
    };

    [Theory]
    [MemberData(nameof(ApiKeyStates))]
    public void ApiKeyHealthMatchesItsState(string state, string resourceJson, string expectedStatus, string expectedMessage)
    {
        var health = ArgoHealthScript.Evaluate(ApiKeyScript, resourceJson);

        // The state name rides along so that a failure says which fixture broke.
        Assert.Equal((state, expectedStatus, expectedMessage), (state, health.Status, health.Message));
    }

    [Theory]
    [MemberData(nameof(RotationStates))]
    public void RotationHealthMatchesItsPhase(string state, string resourceJson, string expectedStatus, string expectedMessage)
    {
        var health = ArgoHealthScript.Evaluate(RotationScript, resourceJson);

        // The state name rides along so that a failure says which fixture broke.
        Assert.Equal((state, expectedStatus, expectedMessage), (state, health.Status, health.Message));
    }

    [Theory]
    [InlineData(ApiKeyKey, "apikey-health.lua")]
    [InlineData(RotationKey, "apikeyrotation-health.lua")]
    public void ConfigMapPatchCarriesExactlyTheLuaFile(string dataKey, string luaFile)
    {
        var stream = new YamlStream();
        using (var reader = File.OpenText(RepoPaths.Combine("config", "argocd", "argocd-cm-patch.yaml")))
        {
            stream.Load(reader);
        }

        var configMap = (YamlMappingNode)stream.Documents.Single().RootNode;
        Assert.Equal("ConfigMap", configMap["kind"].ToString());
        Assert.Equal("argocd-cm", ((YamlMappingNode)configMap["metadata"])["name"].ToString());
        var data = (YamlMappingNode)configMap["data"];

        Assert.Equal(File.ReadAllText(RepoPaths.Combine("config", "argocd", luaFile)), data[dataKey].ToString());
    }

    private static JsonObject WithTargets(JsonObject status, params JsonObject[] targets)
    {
        status["targets"] = new JsonArray([.. targets]);
        return status;
    }
}
