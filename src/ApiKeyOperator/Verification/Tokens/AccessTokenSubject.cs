namespace ApiKeyOperator.Verification.Tokens;

/// <summary>Who a token is issued to: the client id as authenticated, and the ApiKey and key behind it.</summary>
public sealed record AccessTokenSubject(string ClientId, ApiKeyReference ApiKey, string KeyId);
