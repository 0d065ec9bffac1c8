namespace ApiKeyOperator.Keys;

/// <summary>The public parts of a well-formed credential: enough to look the key up, nothing secret.</summary>
public sealed record ParsedToken(string Prefix, string KeyId);
