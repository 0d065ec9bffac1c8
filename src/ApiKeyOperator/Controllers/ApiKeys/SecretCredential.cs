using ApiKeyOperator.Keys;

namespace ApiKeyOperator.Controllers.ApiKeys;

/// <summary>A well-formed credential found in an operator-written Secret, with what the Secret says about it.</summary>
public sealed record SecretCredential(IssuedCredential Credential, DateTime? ExpiresAt, DateTime? IssuedAt)
{
    public string KeyId => Credential.KeyId;
}
