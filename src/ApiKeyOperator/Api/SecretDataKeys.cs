namespace ApiKeyOperator.Api;

/// <summary>Data keys of the Secret the operator writes: part of the public contract (README, "Issue a key and mount it").</summary>
public static class SecretDataKeys
{
    public const string ApiKey = "apiKey";
    public const string ClientId = "clientId";
    public const string ClientSecret = "clientSecret";
    public const string KeyId = "keyId";
    public const string ExpiresAt = "expiresAt";
}
