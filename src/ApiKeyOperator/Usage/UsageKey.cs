namespace ApiKeyOperator.Usage;

/// <summary>One key of one ApiKey.</summary>
public readonly record struct UsageKey(string Namespace, string ApiKey, string KeyId);
