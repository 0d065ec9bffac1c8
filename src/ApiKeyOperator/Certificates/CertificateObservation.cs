using System.Security.Cryptography.X509Certificates;

namespace ApiKeyOperator.Certificates;

/// <summary>
/// What the leader read from the CA Secret and the serving Secret, parsed: each null when absent or unreadable.
/// <see cref="Signer"/> and <see cref="Next"/> carry their private keys; <see cref="Previous"/> (a retired
/// signer kept in the bundle until it expires) does not need one.
/// </summary>
public sealed record CertificateObservation(
    X509Certificate2? Signer,
    X509Certificate2? Next,
    X509Certificate2? Previous,
    X509Certificate2? Serving);
