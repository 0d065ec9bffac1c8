namespace ApiKeyOperator.Api;

/// <summary>Values of <c>ApiKeyRotation.spec.strategy</c>.</summary>
public static class RotationStrategies
{
    /// <summary>Old key stays valid until every dependent runs the new one, plus the grace period.</summary>
    public const string Graceful = "Graceful";

    /// <summary>Old key revoked first (it is compromised); the outage is accepted.</summary>
    public const string Emergency = "Emergency";
}
