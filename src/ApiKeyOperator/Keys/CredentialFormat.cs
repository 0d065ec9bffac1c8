namespace ApiKeyOperator.Keys;

/// <summary>Shape of the credential an ApiKey issues (<c>spec.format</c>).</summary>
public enum CredentialFormat
{
    /// <summary>One self-describing bearer token, data key <c>apiKey</c>.</summary>
    Token,

    /// <summary>A public <c>clientId</c> plus a <c>clientSecret</c>.</summary>
    ClientCredentials,
}
