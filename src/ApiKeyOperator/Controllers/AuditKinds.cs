using ApiKeyOperator.Ledger;

namespace ApiKeyOperator.Controllers;

/// <summary>Audit kinds and idempotency keys of the controllers' rows (the ledger accepts any CamelCase kind).</summary>
public static class AuditKinds
{
    public const string Issued = AuditEventKinds.Issued;
    public const string ExpiryUpdated = AuditEventKinds.ExpiryUpdated;
    public const string Revoked = AuditEventKinds.Revoked;
    public const string Expired = AuditEventKinds.Expired;
    public const string Deleted = AuditEventKinds.Deleted;
    public const string RotationStarted = AuditEventKinds.RotationStarted;
    public const string RolledOut = AuditEventKinds.RolledOut;
    public const string RotationSucceeded = "RotationSucceeded";
    public const string RotationFailed = "RotationFailed";

    /// <summary>One fact per (kind, object uid, detail): e.g. <c>Issued/&lt;ApiKey uid&gt;/&lt;key id&gt;</c>.</summary>
    public static string Key(string kind, string? uid, string? detail = null) =>
        detail is null ? $"{kind}/{uid}" : $"{kind}/{uid}/{detail}";
}
