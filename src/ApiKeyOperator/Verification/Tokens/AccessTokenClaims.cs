namespace ApiKeyOperator.Verification.Tokens;

/// <summary>Claim names of an access token beyond RFC 9068's registered ones.</summary>
public static class AccessTokenClaims
{
    /// <summary>RFC 8693 §4.3 / RFC 9068 §2.2: the OAuth client the token was issued to (the clientId).</summary>
    public const string ClientId = "client_id";

    /// <summary>RFC 8693 §4.2: space-separated scopes.</summary>
    public const string Scope = "scope";

    /// <summary>Namespace of the ApiKey whose key the token was issued for.</summary>
    public const string Namespace = "namespace";

    /// <summary>Name of that ApiKey.</summary>
    public const string ApiKey = "apikey";

    /// <summary>Public id of the key (status.keys[].id), so a verifier can refuse tokens of a revoked key.</summary>
    public const string KeyId = "key_id";
}
