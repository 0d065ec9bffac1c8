using System.Text.Json.Nodes;
using ApiKeyOperator.Api;
using ApiKeyOperator.Identity;
using ApiKeyOperator.Ledger;
using k8s;
using Microsoft.Extensions.Logging;

namespace ApiKeyOperator.Admission;

/// <summary>
/// The validating webhook: the requester record on what will be stored must verify and name this request's user
/// (so a mutating webhook that did not run, or one that changed the spec after ours, cannot leave a record that
/// lies); ApiKey changes must pass the <see cref="EscalationChecks"/>; an ApiKey DELETE is recorded in the ledger
/// (<see cref="DeletionAudit"/>) with its requester and always allowed — dry runs are not recorded.
/// </summary>
public sealed class ValidatingAdmission(RequesterSigner signer, EscalationChecks escalation, IAuditLedger ledger, ILogger<ValidatingAdmission> logger)
{
    public async Task<AdmissionDecision> DecideAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.SubResource.Length > 0)
        {
            return AdmissionDecision.Allow();
        }

        if (request.Operation == "DELETE")
        {
            await RecordDeletionAsync(request, cancellationToken).ConfigureAwait(false);
            return AdmissionDecision.Allow();
        }

        if (request.Operation is not ("CREATE" or "UPDATE") || request.Object is null || SpecHash.OfJson(request.Kind, request.Object["spec"]) is not { } specHash)
        {
            return AdmissionDecision.Allow();
        }

        var changed = request.Operation == "CREATE" || SpecHash.OfJson(request.Kind, request.OldObject?["spec"]) != specHash;
        var record = RequesterRecord.Read(Annotations(request.Object));
        if (changed)
        {
            var name = request.Name.Length > 0 ? request.Name : (string?)request.Object["metadata"]?["name"];
            var verifies = record is not null
                && record.Username == request.User.Username
                && record.Uid == request.User.Uid
                && signer.Verifies(request.Kind, request.Namespace, NameToVerify(name, record), record, specHash);
            if (!verifies)
            {
                return AdmissionDecision.Invalid(
                    $"metadata.annotations[{RequesterRecord.Annotation}]: Invalid value: the requester record does not name \"{request.User.Username}\" for this spec: "
                    + "the operator's mutating webhook must stamp it (is the apikey-operator MutatingWebhookConfiguration installed, and no other webhook changing the spec after it?)");
            }
        }
        else if (RecordText(request.Object) != RecordText(request.OldObject))
        {
            return AdmissionDecision.Forbidden($"metadata.annotations[{RequesterRecord.Annotation}]: Forbidden: the requester record changes only with the spec");
        }

        if (request.Kind != ApiKey.KubeKind || request.Namespace is null)
        {
            return AdmissionDecision.Allow();
        }

        var spec = KubernetesJson.Deserialize<ApiKeySpec>(request.Object["spec"]?.ToJsonString() ?? "{}");
        var old = request.OldObject?["spec"] is { } oldSpec ? KubernetesJson.Deserialize<ApiKeySpec>(oldSpec.ToJsonString()) : null;
        var refusals = await escalation.CheckAsync(request.User, request.Namespace, spec, old, cancellationToken).ConfigureAwait(false);
        return refusals.Count == 0 ? AdmissionDecision.Allow() : AdmissionDecision.Forbidden(string.Join("; ", refusals));
    }

    private async Task RecordDeletionAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        if (request.DryRun || request.Kind != ApiKey.KubeKind || request.Namespace is null || request.OldObject is null)
        {
            return;
        }

        var name = request.Name.Length > 0 ? request.Name : (string?)request.OldObject["metadata"]?["name"] ?? "";
        var recorded = await ledger.TryRecordAsync(
            new AuditEntry
            {
                Kind = DeletionAudit.Kind,
                Namespace = request.Namespace,
                ApiKey = name,
                Actor = request.User.Username,
                Message = DeletionAudit.DeletionMessage((string?)request.OldObject["metadata"]?["uid"]),
                // A retried admission request (same uid) lands once.
                IdempotencyKey = $"{DeletionAudit.Kind}/{request.Uid}",
            },
            cancellationToken).ConfigureAwait(false);
        if (!recorded)
        {
            // Never block a deletion for the audit trail: the Deleted rows will name "unknown".
            logger.LogWarning("The deletion of ApiKey {Namespace}/{Name} by {User} could not be recorded", request.Namespace, name, request.User.Username);
        }
    }

    // Before the API server generates a name, the record's generateName prefix is all there is to compare.
    private static string? NameToVerify(string? name, RequesterRecord record) =>
        string.IsNullOrEmpty(name) && record.Name.StartsWith(RequesterSigner.GenerateNamePrefix, StringComparison.Ordinal)
            ? record.Name[RequesterSigner.GenerateNamePrefix.Length..]
            : name;

    private static IDictionary<string, string>? Annotations(JsonObject obj) =>
        (obj["metadata"]?["annotations"] as JsonObject)?.Where(p => p.Value is JsonValue).ToDictionary(p => p.Key, p => (string?)p.Value ?? "");

    private static string? RecordText(JsonObject? obj) => (string?)obj?["metadata"]?["annotations"]?[RequesterRecord.Annotation];
}
