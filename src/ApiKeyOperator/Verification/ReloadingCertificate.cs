using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace ApiKeyOperator.Verification;

/// <summary>
/// The serving certificate from PEM files, reloaded when either file changes on disk, so that a certificate
/// rotated into a mounted Secret (cert-manager, kubelet's atomic symlink swap) is served to new connections
/// without a restart. A half-written or invalid pair is reported and the previous certificate kept.
/// </summary>
public sealed class ReloadingCertificate : IDisposable
{
    private readonly string _certFile;
    private readonly string _keyFile;
    private readonly ILogger _logger;
    private readonly Lock _reloadLock = new();
    private volatile Loaded _loaded;

    /// <exception cref="System.Security.Cryptography.CryptographicException">The files do not hold a certificate and its key.</exception>
    public ReloadingCertificate(string certFile, string keyFile, ILogger logger)
    {
        _certFile = certFile;
        _keyFile = keyFile;
        _logger = logger;
        _loaded = Load(Stamp());
    }

    /// <summary>The certificate to present on a new connection.</summary>
    public X509Certificate2 Current
    {
        get
        {
            var stamp = Stamp();
            var loaded = _loaded;
            if (loaded.Stamp == stamp)
            {
                return loaded.Certificate;
            }

            lock (_reloadLock)
            {
                if (_loaded.Stamp == stamp)
                {
                    return _loaded.Certificate;
                }

                try
                {
                    // The old certificate is not disposed: handshakes in flight may still use it.
                    _loaded = Load(stamp);
                    _logger.LogInformation("Reloaded the ApiKeyReview serving certificate {Subject}, valid until {NotAfter}",
                        _loaded.Certificate.Subject, _loaded.Certificate.NotAfter);
                }
                catch (Exception ex)
                {
                    // Whatever the files hold mid-rotation, a failed reload must not fail handshakes.
                    _logger.LogWarning("Cannot load the ApiKeyReview serving certificate from {CertFile} and {KeyFile}; keeping the previous one: {Error}",
                        _certFile, _keyFile, ex.Message);
                    _loaded = _loaded with { Stamp = stamp };
                }

                return _loaded.Certificate;
            }
        }
    }

    public void Dispose() => _loaded.Certificate.Dispose();

    private Loaded Load((DateTime, DateTime) stamp) => new(X509Certificate2.CreateFromPemFile(_certFile, _keyFile), stamp);

    private (DateTime Cert, DateTime Key) Stamp() => (File.GetLastWriteTimeUtc(_certFile), File.GetLastWriteTimeUtc(_keyFile));

    private sealed record Loaded(X509Certificate2 Certificate, (DateTime Cert, DateTime Key) Stamp);
}
