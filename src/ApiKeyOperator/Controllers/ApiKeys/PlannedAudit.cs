namespace ApiKeyOperator.Controllers.ApiKeys;

/// <summary>An audit-ledger row to record once the plan's writes succeeded. Carries the key id, never key material.</summary>
public sealed record PlannedAudit(string Kind, string KeyId, string Actor, string? Reason = null, string? Rotation = null, string? Message = null);
