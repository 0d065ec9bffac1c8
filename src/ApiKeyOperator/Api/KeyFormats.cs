namespace ApiKeyOperator.Api;

/// <summary>Values of <c>ApiKey.spec.format</c>.</summary>
public static class KeyFormats
{
    public const string Token = "Token";
    public const string ClientCredentials = "ClientCredentials";
}
