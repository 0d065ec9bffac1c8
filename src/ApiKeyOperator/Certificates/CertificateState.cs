using System.Security.Cryptography.X509Certificates;

namespace ApiKeyOperator.Certificates;

/// <summary>The certificates as they should be stored: the signing CA, its published successor, the retired one, the leaf.</summary>
public sealed record CertificateState(X509Certificate2 Signer, X509Certificate2? Next, X509Certificate2? Previous, X509Certificate2 Serving)
{
    /// <summary>The CA certificates clients must trust, signer first: what ca.crt holds everywhere.</summary>
    public IReadOnlyList<X509Certificate2> TrustedCas => [Signer, .. Next is null ? [] : new[] { Next }, .. Previous is null ? [] : new[] { Previous }];

    /// <summary>The trust bundle as PEM.</summary>
    public string Bundle => string.Concat(TrustedCas.Select(CertificateFactory.CertificatePem));
}
