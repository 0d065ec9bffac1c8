namespace ApiKeyOperator.Verification.Signing;

/// <summary>
/// One token signing key as stored in the signing Secret: its public id (<c>kid</c>), when it was created and from
/// when it signs. A key is published (in the JWKS) from the moment it is in the Secret; it signs from
/// <see cref="ActiveFrom"/> until a newer key's <see cref="ActiveFrom"/>. <see cref="ToString"/> omits the private key.
/// </summary>
/// <param name="PrivateKeyPem">PKCS#8 PEM of the P-256 private key.</param>
public sealed record SigningKey(string Kid, string Algorithm, DateTime CreatedAt, DateTime ActiveFrom, string PrivateKeyPem)
{
    /// <summary>The only algorithm this version signs with: ECDSA P-256 with SHA-256 (RFC 7518 §3.4).</summary>
    public const string Es256 = "ES256";

    public override string ToString() => $"SigningKey {{ Kid = {Kid}, Algorithm = {Algorithm}, CreatedAt = {CreatedAt:O}, ActiveFrom = {ActiveFrom:O} }}";
}
