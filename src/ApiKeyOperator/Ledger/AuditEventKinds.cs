namespace ApiKeyOperator.Ledger;

/// <summary>
/// The audit event kinds the operator writes. Kinds are stored as text so that later versions can add
/// kinds without a schema change; any CamelCase identifier is accepted by the ledger.
/// </summary>
public static class AuditEventKinds
{
    public const string Issued = "Issued";
    public const string ExpiryUpdated = "ExpiryUpdated";
    public const string RotationStarted = "RotationStarted";
    public const string RolledOut = "RolledOut";
    public const string Revoked = "Revoked";
    public const string Expired = "Expired";
    public const string Deleted = "Deleted";

    /// <summary>An access token was issued at /oauth2/token (key id, scopes, jti; never the token).</summary>
    public const string TokenIssued = "TokenIssued";
}
