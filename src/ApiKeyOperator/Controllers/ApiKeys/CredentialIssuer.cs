using ApiKeyOperator.Keys;

namespace ApiKeyOperator.Controllers.ApiKeys;

/// <summary>Creates a credential; <paramref name="keyId"/> is null for a fresh random id.</summary>
public delegate IssuedCredential CredentialIssuer(CredentialFormat format, string prefix, string? keyId);
