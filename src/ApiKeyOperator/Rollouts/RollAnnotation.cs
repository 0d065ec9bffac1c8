using System.Text.Json;
using System.Text.Json.Nodes;
using k8s.Models;

namespace ApiKeyOperator.Rollouts;

/// <summary>
/// Rolling a workload = setting one pod-template annotation to the new key id. Because the value is the
/// key id, the roll is deterministic: a workload already carrying it is never patched (or restarted) again.
/// </summary>
public static class RollAnnotation
{
    public const string Name = "apikeyoperator.io/key-id";

    public static string? Current(V1PodTemplateSpec? template) =>
        template?.Metadata?.Annotations?.TryGetValue(Name, out var value) == true ? value : null;

    public static bool IsRolledTo(V1PodTemplateSpec? template, string keyId) =>
        string.Equals(Current(template), keyId, StringComparison.Ordinal);

    /// <summary>
    /// The JSON merge patch that rolls a workload to <paramref name="keyId"/>; touches nothing else. With
    /// <paramref name="resourceVersion"/> the server applies it only to that version of the workload.
    /// </summary>
    public static string MergePatch(string keyId, string? resourceVersion = null)
    {
        var patch = new JsonObject
        {
            ["spec"] = new JsonObject
            {
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject
                    {
                        ["annotations"] = new JsonObject { [Name] = keyId },
                    },
                },
            },
        };
        if (resourceVersion is not null)
        {
            patch["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion };
        }

        return patch.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
    }
}
