using System.Security.Cryptography.X509Certificates;

namespace ApiKeyOperator.Certificates;

/// <summary>
/// The certificate (with private key) the operator's TLS listeners present on a new connection; null while none
/// is available yet (handshakes fail and readiness says why). Implementations pick up rotations without a restart.
/// </summary>
public interface IServingCertificate
{
    X509Certificate2? Current { get; }
}
