namespace ApiKeyOperator.Verification.Signing;

/// <summary>
/// Where the signing keys live, their schedule, and how often every replica re-reads them. A null
/// <see cref="Namespace"/> means the operator does not know its own namespace: no keys, so no tokens.
/// </summary>
public sealed record SigningKeyOptions(string? Namespace, string SecretName, SigningKeyPolicy Policy, TimeSpan RefreshInterval);
