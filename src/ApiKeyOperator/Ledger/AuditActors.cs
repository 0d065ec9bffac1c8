namespace ApiKeyOperator.Ledger;

/// <summary>Well-known actors. Otherwise the actor is the field manager that changed the object.</summary>
public static class AuditActors
{
    /// <summary>The operator itself, for scheduled or time-driven work (scheduled rotation, expiry).</summary>
    public const string Operator = "apikey-operator";
}
