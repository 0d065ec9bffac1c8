namespace ApiKeyOperator.Api;

/// <summary>
/// Stable CamelCase reasons shared by conditions and Events. Users and alerts match on them:
/// never rename one.
/// </summary>
public static class Reasons
{
    // ApiKey
    public const string Issued = "Issued";
    public const string ExpiryUpdated = "ExpiryUpdated";
    public const string ScopesUpdated = "ScopesUpdated";
    public const string SecretConflict = "SecretConflict";
    public const string InvalidSpec = "InvalidSpec";
    public const string Expired = "Expired";
    public const string SecretRestored = "SecretRestored";
    public const string SecretMismatch = "SecretMismatch";
    public const string SecretMoved = "SecretMoved";
    public const string KeyAdopted = "KeyAdopted";
    public const string Revoked = "Revoked";
    public const string Reconciled = "Reconciled";

    // ApiKeyRotation (and the ApiKey's Rotating condition)
    public const string RotationScheduled = "RotationScheduled";
    public const string RotationStarted = "RotationStarted";
    public const string RotationFailed = "RotationFailed";
    public const string RotationSucceeded = "RotationSucceeded";
    public const string WaitingForRotation = "WaitingForRotation";
    public const string ApiKeyNotFound = "ApiKeyNotFound";
    public const string TargetNotFound = "TargetNotFound";
    public const string TargetsFound = "TargetsFound";
    public const string RolloutTimeout = "RolloutTimeout";
    public const string ProgressDeadlineExceeded = "ProgressDeadlineExceeded";
    public const string RolledOut = "RolledOut";
    public const string TrafficTimeout = "TrafficTimeout";
    public const string WaitingForTraffic = "WaitingForTraffic";
    public const string WaitingForApiKey = "WaitingForApiKey";
    public const string ApiKeyNotReady = "ApiKeyNotReady";
    public const string KeyChanged = "KeyChanged";
    public const string Superseded = "Superseded";
    public const string SpecChanged = "SpecChanged";
    public const string GracePeriod = "GracePeriod";
    public const string EmergencyRevocation = "EmergencyRevocation";
    public const string GracePeriodEnded = "GracePeriodEnded";
    public const string LeftoverLifetimeEnded = "LeftoverLifetimeEnded";
    public const string RotationRateLimited = "RotationRateLimited";

    // ApiKey (continued)
    public const string SecretLost = "SecretLost";
    public const string SecretRejected = "SecretRejected";
    public const string AuditPending = "AuditPending";
    public const string NoLeftoverKey = "NoLeftoverKey";
}
