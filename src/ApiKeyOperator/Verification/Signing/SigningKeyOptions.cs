namespace ApiKeyOperator.Verification.Signing;

/// <summary>Where the signing keys live, their schedule, and how often every replica re-reads them.</summary>
public sealed record SigningKeyOptions(string Namespace, string SecretName, SigningKeyPolicy Policy, TimeSpan RefreshInterval);
