namespace ApiKeyOperator.Ledger;

public enum LedgerHealthStatus
{
    Healthy,

    /// <summary>The ledger lost or could not write records; the operator itself keeps working.</summary>
    Degraded,
}
