namespace ApiKeyOperator.Keys;

/// <summary>
/// A credential in plaintext, as written to the Secret. Only the Secret may hold it: <see cref="ToString"/>
/// is overridden so that logging or interpolating the record can never print the secret.
/// </summary>
public sealed record IssuedCredential
{
    private IssuedCredential(string keyId, CredentialFormat format, string? apiKey, string? clientId, string? clientSecret)
    {
        KeyId = keyId;
        Format = format;
        ApiKey = apiKey;
        ClientId = clientId;
        ClientSecret = clientSecret;
    }

    public string KeyId { get; }

    public CredentialFormat Format { get; }

    /// <summary>The whole token (format Token), else null.</summary>
    public string? ApiKey { get; }

    /// <summary><c>prefix key-id</c> (format ClientCredentials), else null.</summary>
    public string? ClientId { get; }

    /// <summary>The client secret (format ClientCredentials), else null.</summary>
    public string? ClientSecret { get; }

    /// <summary>The value <see cref="KeyHash"/> fingerprints: the token, or the client secret.</summary>
    public string HashedValue => Format == CredentialFormat.Token ? ApiKey! : ClientSecret!;

    public string Hash => KeyHash.Compute(HashedValue);

    public static IssuedCredential ForToken(string keyId, string apiKey) =>
        new(keyId, CredentialFormat.Token, apiKey, null, null);

    public static IssuedCredential ForClientCredentials(string keyId, string clientId, string clientSecret) =>
        new(keyId, CredentialFormat.ClientCredentials, null, clientId, clientSecret);

    public override string ToString() => $"IssuedCredential {{ KeyId = {KeyId}, Format = {Format} }}";
}
