using System.Net;
using ApiKeyOperator.Certificates;

namespace ApiKeyOperator.Verification;

/// <summary>Settings of the review listener, from the <c>--review-*</c> flags.</summary>
public sealed record ReviewOptions
{
    /// <summary>Largest accepted request body; larger ones are answered 413.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>
    /// <c>--review-bind-address</c> (default <c>:8443</c>), parsed like the other listeners' addresses; port 0
    /// takes a free port (see <see cref="ReviewServer.Addresses"/>).
    /// </summary>
    public IPEndPoint Endpoint { get; init; } = new(IPAddress.Any, 8443);

    /// <summary><c>--review-insecure-http</c>: serve plain HTTP (local use only; callers send bearer tokens).</summary>
    public bool InsecureHttp { get; init; }

    /// <summary>The operator's serving certificate (self-managed or from <c>--cert-dir</c>), unless files are given below.</summary>
    public IServingCertificate? Certificate { get; init; }

    /// <summary><c>--review-tls-cert-file</c>: PEM certificate (chain). With the key file, serves HTTPS from these files.</summary>
    public string? TlsCertFile { get; init; }

    /// <summary><c>--review-tls-key-file</c>: PEM private key of the certificate.</summary>
    public string? TlsKeyFile { get; init; }

    /// <summary><c>--review-auth</c>.</summary>
    public ReviewAuthMode Auth { get; init; } = ReviewAuthMode.Kubernetes;
}
