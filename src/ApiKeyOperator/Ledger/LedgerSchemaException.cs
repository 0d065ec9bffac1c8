namespace ApiKeyOperator.Ledger;

/// <summary>The ledger file has a schema this operator cannot use (written by a newer version).</summary>
public sealed class LedgerSchemaException(string message) : Exception(message);
