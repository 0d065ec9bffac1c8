using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;

namespace ApiKeyOperator.Hosting;

/// <summary>
/// TLS and request checks for the metrics listener, when a module registers them (the secure metrics of
/// controller-runtime); without one the listener serves plain HTTP to anyone.
/// </summary>
public interface IListenerProtection
{
    /// <summary>The certificate to present on a new connection (null: none yet, the handshake fails).</summary>
    X509Certificate2? CurrentCertificate { get; }

    /// <summary>Wraps the listener's handler in authentication and authorisation.</summary>
    RequestDelegate Protect(RequestDelegate inner);
}
