using System.Text;
using System.Text.Json.Nodes;
using ApiKeyOperator.Admission;

namespace ApiKeyOperator.Tests.Admission;

/// <summary>Admission requests as the API server sends them, and applying a webhook's patch.</summary>
internal static class AdmissionRequests
{
    public static AdmissionUser Bob { get; } = new("bob", "uid-bob", ["editors", "system:authenticated"], new Dictionary<string, IReadOnlyList<string>>());

    public static JsonObject ApiKey(string name, string spec, JsonObject? annotations = null)
    {
        var metadata = new JsonObject { ["name"] = name, ["namespace"] = "team", ["uid"] = "uid-" + name };
        if (annotations is not null)
        {
            metadata["annotations"] = annotations;
        }

        return new JsonObject { ["apiVersion"] = "apikeyoperator.io/v1alpha1", ["kind"] = "ApiKey", ["metadata"] = metadata, ["spec"] = JsonNode.Parse(spec) };
    }

    public static AdmissionRequest Request(string operation, JsonObject? obj, JsonObject? old = null, AdmissionUser? user = null, bool dryRun = false, string kind = "ApiKey") => new()
    {
        Uid = Guid.NewGuid().ToString(),
        Operation = operation,
        Kind = kind,
        Namespace = "team",
        Name = (string?)(obj ?? old)?["metadata"]?["name"] ?? "",
        User = user ?? Bob,
        Object = obj,
        OldObject = old,
        DryRun = dryRun,
    };

    /// <summary>The object after the decision's JSON patch (only the "add" operations the webhook makes).</summary>
    public static JsonObject Apply(JsonObject obj, AdmissionDecision decision)
    {
        var result = (JsonObject)obj.DeepClone();
        foreach (var op in decision.Patch ?? [])
        {
            var path = ((string)op!["path"]!).Split('/')[1..].Select(p => p.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();
            var parent = result;
            foreach (var segment in path[..^1])
            {
                parent = (JsonObject)parent[segment]!;
            }

            parent[path[^1]] = op["value"]!.DeepClone();
        }

        return result;
    }

    /// <summary>The review's base64 patch decodes to the decision's operations.</summary>
    public static string PatchText(JsonObject review) => Encoding.UTF8.GetString(Convert.FromBase64String((string)review["response"]!["patch"]!));
}
