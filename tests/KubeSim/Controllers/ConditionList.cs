using System.Text.Json.Nodes;

namespace KubeSim.Controllers;

/// <summary>
/// Builds a status conditions list from the previous one: lastTransitionTime is kept while a condition's status
/// does not change, as every real controller does.
/// </summary>
internal static class ConditionList
{
    public static JsonObject? Find(JsonNode? conditions, string type) =>
        conditions is JsonArray list ? list.OfType<JsonObject>().FirstOrDefault(c => WorkloadObjects.Text(c["type"]) == type) : null;

    /// <summary>A condition with the given fields; timestamps come from the previous one unless it changed.</summary>
    public static JsonObject Make(JsonObject? previous, string type, string status, string? reason, string? message, string now, bool withUpdateTime, bool touch = false)
    {
        var sameStatus = previous is not null && WorkloadObjects.Text(previous["status"]) == status;
        var unchanged = sameStatus && WorkloadObjects.Text(previous!["reason"]) == reason && WorkloadObjects.Text(previous["message"]) == message;
        var condition = new JsonObject { ["type"] = type, ["status"] = status };
        if (withUpdateTime)
        {
            condition["lastUpdateTime"] = unchanged && !touch ? previous!["lastUpdateTime"]?.DeepClone() ?? now : now;
        }

        condition["lastTransitionTime"] = sameStatus ? previous!["lastTransitionTime"]?.DeepClone() ?? now : now;
        if (reason is not null)
        {
            condition["reason"] = reason;
        }

        if (message is not null)
        {
            condition["message"] = message;
        }

        return condition;
    }
}
