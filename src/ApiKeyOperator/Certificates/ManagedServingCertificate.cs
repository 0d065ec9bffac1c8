using System.Security.Cryptography.X509Certificates;

namespace ApiKeyOperator.Certificates;

/// <summary>
/// The serving certificate the <see cref="CertificateManager"/> keeps current from the serving Secret (the leader
/// right after writing it, the other replicas on every refresh), and the trust bundle that goes with it.
/// </summary>
public sealed class ManagedServingCertificate : IServingCertificate
{
    private volatile Loaded? _loaded;

    /// <summary>Raised (on the manager's loop) when the trust bundle changed, e.g. for a caBundle injector.</summary>
    public event Action<string>? BundleChanged;

    public X509Certificate2? Current => _loaded?.Certificate;

    /// <summary>The PEM trust bundle; null until the first certificates are in.</summary>
    public string? Bundle => _loaded?.Bundle;

    /// <summary>Publishes a certificate; the previous one is left to the handshakes that may still hold it.</summary>
    public void Set(X509Certificate2 certificate, string? bundle)
    {
        var previous = _loaded;
        if (previous?.Certificate.Thumbprint == certificate.Thumbprint && previous.Bundle == bundle)
        {
            return;
        }

        _loaded = new Loaded(certificate, bundle ?? previous?.Bundle);
        if (bundle is not null && bundle != previous?.Bundle)
        {
            BundleChanged?.Invoke(bundle);
        }
    }

    private sealed record Loaded(X509Certificate2 Certificate, string? Bundle);
}
