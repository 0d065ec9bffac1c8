using ApiKeyOperator.Api;
using Microsoft.Extensions.Logging;

namespace ApiKeyOperator.Ledger;

/// <summary>
/// What controllers call to leave an audit row. The ledger is a record, not the source of truth: a failed
/// or refused write is logged and never fails the reconcile that made the change.
/// </summary>
public sealed class AuditTrail(IAuditLedger ledger, ILogger<AuditTrail> logger)
{
    public async Task RecordAsync(
        string kind, ApiKey apiKey, string? keyId, string actor, string? reason = null, string? rotation = null, string? message = null,
        CancellationToken cancellationToken = default)
    {
        var scopes = (apiKey.Status?.Keys ?? []).FirstOrDefault(k => k.Id == keyId)?.Scopes ?? apiKey.Spec.Scopes ?? [];
        var entry = new AuditEntry
        {
            Kind = kind,
            Namespace = apiKey.Metadata.NamespaceProperty ?? "",
            ApiKey = apiKey.Metadata.Name,
            KeyId = keyId,
            Scopes = [.. scopes],
            Reason = reason,
            Rotation = rotation,
            Actor = actor,
            Message = message,
        };
        try
        {
            if (!await ledger.TryRecordAsync(entry, cancellationToken))
            {
                logger.LogWarning("Audit row {Kind} for {Namespace}/{ApiKey} key {KeyId} was not recorded (ledger degraded)", kind, entry.Namespace, entry.ApiKey, keyId);
            }
        }
        catch (ArgumentException e)
        {
            // The ledger refused a field (e.g. it looked like key material): say which, never what.
            logger.LogError("Audit row {Kind} for {Namespace}/{ApiKey} refused: field {Field} rejected", kind, entry.Namespace, entry.ApiKey, e.ParamName);
        }
    }
}
