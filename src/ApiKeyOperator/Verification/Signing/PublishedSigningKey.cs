using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace ApiKeyOperator.Verification.Signing;

/// <summary>
/// A <see cref="SigningKey"/> loaded for use: the private key for signing, and the public key for verifying and
/// for the JWKS. Built once per key, not per token.
/// </summary>
public sealed class PublishedSigningKey
{
    private PublishedSigningKey(SigningKey key, ECDsaSecurityKey privateKey, ECDsaSecurityKey publicKey, PublicJsonWebKey jwk)
    {
        Key = key;
        Credentials = new SigningCredentials(privateKey, SecurityAlgorithms.EcdsaSha256);
        PublicKey = publicKey;
        Jwk = jwk;
    }

    public SigningKey Key { get; }

    public string Kid => Key.Kid;

    public SigningCredentials Credentials { get; }

    /// <summary>The verification key: public half only.</summary>
    public SecurityKey PublicKey { get; }

    /// <summary>The JWKS entry: public parameters only, never <c>d</c>.</summary>
    public PublicJsonWebKey Jwk { get; }

    /// <exception cref="CryptographicException">The PEM does not hold a P-256 private key.</exception>
    public static PublishedSigningKey Load(SigningKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(key.PrivateKeyPem);
        var parameters = ecdsa.ExportParameters(includePrivateParameters: false);
        if (parameters.Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
        {
            ecdsa.Dispose();
            throw new CryptographicException($"signing key {key.Kid} is not on curve P-256");
        }

        var publicOnly = ECDsa.Create(parameters);
        var jwk = new PublicJsonWebKey(
            Kty: "EC",
            Use: "sig",
            Alg: SigningKey.Es256,
            Kid: key.Kid,
            Crv: "P-256",
            X: Base64UrlEncoder.Encode(parameters.Q.X),
            Y: Base64UrlEncoder.Encode(parameters.Q.Y));
        return new PublishedSigningKey(key, new ECDsaSecurityKey(ecdsa) { KeyId = key.Kid }, new ECDsaSecurityKey(publicOnly) { KeyId = key.Kid }, jwk);
    }
}
