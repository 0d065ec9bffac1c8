namespace ApiKeyOperator.Ledger;

/// <summary>One page of audit rows; <paramref name="Continue"/> is null on the last page.</summary>
public sealed record AuditPage(IReadOnlyList<AuditEntry> Items, string? Continue);
