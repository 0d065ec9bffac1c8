using System.Text.Json.Nodes;
using ApiKeyOperator.Identity;

namespace ApiKeyOperator.Admission;

/// <summary>
/// The mutating webhook's decision (pure): on a create, and on an update that changes the spec, stamp a signed
/// <see cref="RequesterRecord"/> naming the authenticated requester; on any other update keep the record as it
/// was. A client may not write the record itself: setting or changing it is refused (the operator's own user
/// excepted, whose creations carry its own stamp and are stamped again here from <c>userInfo</c>).
/// </summary>
public static class RequesterStamping
{
    private const string AnnotationPath = "/metadata/annotations/apikeyoperator.io~1requester";

    public static AdmissionDecision Decide(AdmissionRequest request, RequesterSigner signer, OperatorUser operatorUser)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(signer);
        ArgumentNullException.ThrowIfNull(operatorUser);
        if (request.SubResource.Length > 0 || request.Object is null || request.Operation is not ("CREATE" or "UPDATE"))
        {
            return AdmissionDecision.Allow();
        }

        if (SpecHash.OfJson(request.Kind, request.Object["spec"]) is not { } specHash)
        {
            return AdmissionDecision.Allow();
        }

        var sent = RecordText(request.Object);
        var previous = request.OldObject is null ? null : RecordText(request.OldObject);
        var isOperator = operatorUser.Is(request.User.Username);
        if (sent is not null && sent != previous && !isOperator)
        {
            return AdmissionDecision.Forbidden(
                $"metadata.annotations[{RequesterRecord.Annotation}]: Forbidden: written only by the operator's admission webhook, which records the authenticated requester; remove it from the {request.Kind}");
        }

        var changed = request.Operation == "CREATE" || SpecHash.OfJson(request.Kind, request.OldObject?["spec"]) != specHash;
        if (changed)
        {
            var metadata = request.Object["metadata"] as JsonObject;
            var record = signer.Sign(request.Kind, request.Namespace, request.Name.Length > 0 ? request.Name : (string?)metadata?["name"],
                (string?)metadata?["generateName"], request.User.ToRequester(), specHash);
            return SetRecord(request.Object, record.ToJson());
        }

        // An update that leaves the spec alone: the record stays (restored when the client's copy dropped it).
        return sent is null && previous is not null ? SetRecord(request.Object, previous) : AdmissionDecision.Allow();
    }

    private static string? RecordText(JsonObject obj) => (string?)obj["metadata"]?["annotations"]?[RequesterRecord.Annotation];

    private static AdmissionDecision SetRecord(JsonObject obj, string value)
    {
        var operation = obj["metadata"]?["annotations"] is JsonObject
            ? new JsonObject { ["op"] = "add", ["path"] = AnnotationPath, ["value"] = value }
            : new JsonObject { ["op"] = "add", ["path"] = "/metadata/annotations", ["value"] = new JsonObject { [RequesterRecord.Annotation] = value } };
        return AdmissionDecision.Allow() with { Patch = [operation] };
    }
}
