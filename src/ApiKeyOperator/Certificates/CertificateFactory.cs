using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ApiKeyOperator.Certificates;

/// <summary>Creates the operator's CA certificates and the serving certificates they sign (ECDSA P-256, SHA-256).</summary>
internal static class CertificateFactory
{
    /// <summary>A self-signed CA with its private key, valid from <paramref name="now"/> (less the clock skew).</summary>
    public static X509Certificate2 CreateCa(DateTimeOffset now, CertificatePolicy policy)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        // A distinct name per CA (as kube-apiserver's "kubernetes-ca@<time>"): clients holding two of them in a
        // bundle tell them apart by name as well as by key identifier.
        var request = new CertificateRequest(
            $"CN={CertificateNames.CaCommonName}@{now.ToUnixTimeSeconds()}, O=apikeyoperator.io", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(now - policy.ClockSkew, now + policy.CaValidity);
    }

    /// <summary>A serving certificate for the names, signed by <paramref name="signer"/>, never outliving it.</summary>
    public static X509Certificate2 IssueServing(
        X509Certificate2 signer, IReadOnlyList<string> dnsNames, IReadOnlyList<IPAddress> addresses, DateTimeOffset now, CertificatePolicy policy)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={dnsNames.FirstOrDefault() ?? "apikey-operator"}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var dnsName in dnsNames)
        {
            names.AddDnsName(dnsName);
        }

        foreach (var address in addresses)
        {
            names.AddIpAddress(address);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(signer, true, false));
        var notAfter = new DateTimeOffset(Math.Min((now + policy.ServingValidity).UtcTicks, signer.NotAfter.ToUniversalTime().Ticks), TimeSpan.Zero);
        using var issued = request.Create(signer, now - policy.ClockSkew, notAfter, RandomNumberGenerator.GetBytes(16));
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>The certificate's PEM.</summary>
    public static string CertificatePem(X509Certificate2 certificate) => certificate.ExportCertificatePem() + "\n";

    /// <summary>The private key's PKCS#8 PEM.</summary>
    public static string KeyPem(X509Certificate2 certificate) =>
        (certificate.GetECDsaPrivateKey() ?? throw new InvalidOperationException($"{certificate.Subject} has no private key")).ExportPkcs8PrivateKeyPem() + "\n";

    /// <summary>A certificate with its key from two PEM texts; null when they do not hold a matching pair.</summary>
    public static X509Certificate2? TryLoad(string? certificatePem, string? keyPem)
    {
        if (string.IsNullOrWhiteSpace(certificatePem) || string.IsNullOrWhiteSpace(keyPem))
        {
            return null;
        }

        try
        {
            return X509Certificate2.CreateFromPem(certificatePem, keyPem);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    /// <summary>A certificate without key from PEM; null when it holds none.</summary>
    public static X509Certificate2? TryLoad(string? certificatePem)
    {
        if (string.IsNullOrWhiteSpace(certificatePem))
        {
            return null;
        }

        try
        {
            return X509Certificate2.CreateFromPem(certificatePem);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
