namespace ApiKeyOperator.Ledger;

/// <summary>The ledger's state at one moment; <paramref name="Message"/> says why when Degraded.</summary>
public sealed record LedgerHealthSnapshot(LedgerHealthStatus Status, string? Message);
