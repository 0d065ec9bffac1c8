using System.Text;
using System.Text.Json.Nodes;

namespace ApiKeyOperator.Admission;

/// <summary>What the webhook answers: allowed (with an optional JSON patch and warnings) or refused with a message.</summary>
public sealed record AdmissionDecision
{
    public bool Allowed { get; init; }

    /// <summary>The HTTP-like code of a refusal: 403 for a missing permission, 422 for an invalid change.</summary>
    public int Code { get; init; } = 200;

    public string? Reason { get; init; }

    public string? Message { get; init; }

    /// <summary>JSON patch operations (mutating webhook only).</summary>
    public JsonArray? Patch { get; init; }

    public IReadOnlyList<string> Warnings { get; init; } = [];

    public static AdmissionDecision Allow() => new() { Allowed = true };

    public static AdmissionDecision Forbidden(string message) => new() { Allowed = false, Code = 403, Reason = "Forbidden", Message = message };

    public static AdmissionDecision Invalid(string message) => new() { Allowed = false, Code = 422, Reason = "Invalid", Message = message };

    /// <summary>The AdmissionReview response for request <paramref name="uid"/>.</summary>
    public JsonObject ToReview(string uid)
    {
        var response = new JsonObject { ["uid"] = uid, ["allowed"] = Allowed };
        if (!Allowed)
        {
            response["status"] = new JsonObject { ["code"] = Code, ["reason"] = Reason, ["message"] = Message, ["status"] = "Failure" };
        }

        if (Patch is { Count: > 0 } patch)
        {
            response["patchType"] = "JSONPatch";
            response["patch"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(patch.ToJsonString()));
        }

        if (Warnings.Count > 0)
        {
            response["warnings"] = new JsonArray([.. Warnings.Select(w => JsonValue.Create(w))]);
        }

        return new JsonObject { ["apiVersion"] = "admission.k8s.io/v1", ["kind"] = "AdmissionReview", ["response"] = response };
    }
}
