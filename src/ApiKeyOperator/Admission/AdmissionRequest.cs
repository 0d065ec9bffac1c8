using System.Text.Json.Nodes;

namespace ApiKeyOperator.Admission;

/// <summary>The parts of an <c>admission.k8s.io/v1</c> AdmissionReview request the webhook decides on.</summary>
public sealed record AdmissionRequest
{
    public required string Uid { get; init; }

    /// <summary>CREATE, UPDATE, DELETE or CONNECT.</summary>
    public required string Operation { get; init; }

    /// <summary>The object's kind (<c>request.kind.kind</c>).</summary>
    public required string Kind { get; init; }

    /// <summary>Empty for the main resource; <c>status</c> and the like otherwise.</summary>
    public string SubResource { get; init; } = "";

    public string? Namespace { get; init; }

    /// <summary>Empty on a create whose name the API server generates later.</summary>
    public string Name { get; init; } = "";

    public required AdmissionUser User { get; init; }

    public JsonObject? Object { get; init; }

    public JsonObject? OldObject { get; init; }

    public bool DryRun { get; init; }

    /// <summary>Reads <c>request</c> of an AdmissionReview; throws <see cref="FormatException"/> when it is not one.</summary>
    public static AdmissionRequest Parse(JsonNode? review)
    {
        if ((string?)review?["apiVersion"] != "admission.k8s.io/v1" || (string?)review?["kind"] != "AdmissionReview" || review?["request"] is not JsonObject request)
        {
            throw new FormatException("the body is not an admission.k8s.io/v1 AdmissionReview with a request");
        }

        return new AdmissionRequest
        {
            Uid = (string?)request["uid"] ?? throw new FormatException("request.uid is missing"),
            Operation = (string?)request["operation"] ?? throw new FormatException("request.operation is missing"),
            Kind = (string?)request["kind"]?["kind"] ?? throw new FormatException("request.kind is missing"),
            SubResource = (string?)request["subResource"] ?? "",
            Namespace = (string?)request["namespace"],
            Name = (string?)request["name"] ?? "",
            User = AdmissionUser.Read(request["userInfo"]),
            Object = request["object"] as JsonObject,
            OldObject = request["oldObject"] as JsonObject,
            DryRun = (bool?)request["dryRun"] ?? false,
        };
    }
}
