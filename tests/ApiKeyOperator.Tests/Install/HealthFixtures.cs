using System.Text.Json.Nodes;

namespace ApiKeyOperator.Tests.Install;

/// <summary>ApiKey and ApiKeyRotation objects in the states the operator writes, as JSON.</summary>
public static class HealthFixtures
{
    public static string ApiKey(long generation, JsonObject? status) =>
        Resource("ApiKey", "billing-exporter", generation, status);

    public static string Rotation(long generation, JsonObject? status) =>
        Resource("ApiKeyRotation", "billing-exporter-2026-11", generation, status);

    public static JsonObject Status(long observedGeneration, params JsonObject[] conditions) => new()
    {
        ["observedGeneration"] = observedGeneration,
        ["conditions"] = new JsonArray([.. conditions]),
    };

    public static JsonObject RotationStatus(long observedGeneration, string phase, params JsonObject[] conditions)
    {
        var status = Status(observedGeneration, conditions);
        status["phase"] = phase;
        return status;
    }

    public static JsonObject Condition(string type, string status, string reason, string message) => new()
    {
        ["type"] = type,
        ["status"] = status,
        ["reason"] = reason,
        ["message"] = message,
        ["lastTransitionTime"] = "2026-11-23T14:00:00Z",
    };

    public static JsonObject Target(string name, bool ready) => new()
    {
        ["kind"] = "Deployment",
        ["name"] = name,
        ["ready"] = ready,
    };

    private static string Resource(string kind, string name, long generation, JsonObject? status)
    {
        var resource = new JsonObject
        {
            ["apiVersion"] = "apikeyoperator.io/v1alpha1",
            ["kind"] = kind,
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "payments", ["generation"] = generation },
            ["spec"] = new JsonObject(),
            ["status"] = status,
        };
        return resource.ToJsonString();
    }
}
