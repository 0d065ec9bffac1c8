using ApiKeyOperator.Api;
using ApiKeyOperator.Ledger;

namespace ApiKeyOperator.Controllers.ApiKeyRotations;

/// <summary>Who a rotation acts for in the audit trail: the operator for scheduled ones, else whoever created it.</summary>
public static class RotationActor
{
    public const string ScheduledLabel = "apikeyoperator.io/scheduled";

    public static string Of(ApiKeyRotation rotation) =>
        rotation.Metadata.Labels?.TryGetValue(ScheduledLabel, out var scheduled) == true && scheduled == "true"
            ? AuditActors.Operator
            : AuditActor.Of(rotation);
}
