using System.Security.Cryptography;

namespace ApiKeyOperator.Verification.Signing;

/// <summary>Fresh ES256 keys: a P-256 key pair from the platform CSPRNG and a random public <c>kid</c>.</summary>
public static class SigningKeyGenerator
{
    public static SigningKey Generate(DateTime createdAt, DateTime activeFrom)
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new SigningKey(
            Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
            SigningKey.Es256,
            createdAt,
            activeFrom,
            ecdsa.ExportPkcs8PrivateKeyPem());
    }
}
