namespace ApiKeyOperator.Ledger;

/// <summary>Verification usage of one key: when it last verified (UTC) and how many times in total.</summary>
public sealed record KeyUsage(string Namespace, string ApiKey, string KeyId, DateTime LastUsedAt, long Count);
