using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace KubeSim.Tests.Standalone;

/// <summary>A self-signed certificate and key in PEM, made once per test run (kubectl create secret tls checks the pair).</summary>
internal static class TestCertificate
{
    private static readonly Lazy<(string Cert, string Key)> Pair = new(Create);

    public static string Pem => Pair.Value.Cert;

    public static string KeyPem => Pair.Value.Key;

    private static (string, string) Create()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=kubesim.test", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return (certificate.ExportCertificatePem() + "\n", key.ExportPkcs8PrivateKeyPem() + "\n");
    }
}
