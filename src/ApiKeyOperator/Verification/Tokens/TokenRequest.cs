namespace ApiKeyOperator.Verification.Tokens;

/// <summary>
/// A well-formed token request: the client's credentials, the grant type asked for and the scopes asked for (null:
/// none named, meaning every scope of the key). <see cref="ToString"/> never prints the secret.
/// </summary>
public sealed record TokenRequest(string ClientId, string ClientSecret, ClientAuthMethod Method, string GrantType, IReadOnlyList<string>? Scopes)
{
    public override string ToString() =>
        $"TokenRequest {{ ClientId = {ClientId}, Method = {Method}, GrantType = {GrantType}, Scopes = [{string.Join(' ', Scopes ?? [])}] }}";
}
