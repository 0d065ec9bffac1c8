using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace ApiKeyOperator.Certificates;

/// <summary>
/// The serving certificate from PEM files, reloaded when either file changes on disk, so that a certificate
/// rotated into a mounted Secret (cert-manager, the operator's own, kubelet's atomic symlink swap) is served to
/// new connections without a restart. Files that do not exist yet (an optional Secret volume before the Secret
/// is written) leave <see cref="Current"/> null until they appear; a half-written or invalid pair is reported
/// and the previous certificate kept.
/// </summary>
public sealed class ReloadingCertificate : IServingCertificate, IDisposable
{
    private readonly string _certFile;
    private readonly string _keyFile;
    private readonly ILogger _logger;
    private readonly Lock _reloadLock = new();
    private volatile Loaded _loaded = new(null, default);

    /// <exception cref="FileNotFoundException">Without <paramref name="waitForFiles"/>: a file is missing.</exception>
    /// <exception cref="System.Security.Cryptography.CryptographicException">Without <paramref name="waitForFiles"/>: the files hold no certificate and key.</exception>
    public ReloadingCertificate(string certFile, string keyFile, ILogger logger, bool waitForFiles = false)
    {
        _certFile = certFile;
        _keyFile = keyFile;
        _logger = logger;
        if (!waitForFiles)
        {
            _loaded = new Loaded(X509Certificate2.CreateFromPemFile(certFile, keyFile), Stamp());
        }
    }

    /// <summary>The certificate to present on a new connection; null until the files hold one.</summary>
    public X509Certificate2? Current
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

                if (stamp.Cert == DateTime.MinValue || stamp.Key == DateTime.MinValue)
                {
                    _logger.LogInformation("Waiting for the serving certificate files {CertFile} and {KeyFile}", _certFile, _keyFile);
                    _loaded = _loaded with { Stamp = stamp };
                    return _loaded.Certificate;
                }

                try
                {
                    // The old certificate is not disposed: handshakes in flight may still use it.
                    _loaded = new Loaded(X509Certificate2.CreateFromPemFile(_certFile, _keyFile), stamp);
                    _logger.LogInformation("Loaded the serving certificate {Subject}, valid until {NotAfter}",
                        _loaded.Certificate!.Subject, _loaded.Certificate.NotAfter);
                }
                catch (Exception ex)
                {
                    // Whatever the files hold mid-rotation, a failed reload must not fail handshakes.
                    _logger.LogWarning("Cannot load the serving certificate from {CertFile} and {KeyFile}; keeping the previous one: {Error}",
                        _certFile, _keyFile, ex.Message);
                    _loaded = _loaded with { Stamp = stamp };
                }

                return _loaded.Certificate;
            }
        }
    }

    public void Dispose() => _loaded.Certificate?.Dispose();

    // File.GetLastWriteTimeUtc answers 1601-01-01 for a missing file; DateTime.MinValue marks it absent here.
    private (DateTime Cert, DateTime Key) Stamp() => (WrittenAt(_certFile), WrittenAt(_keyFile));

    private static DateTime WrittenAt(string path) => File.Exists(path) ? File.GetLastWriteTimeUtc(path) : DateTime.MinValue;

    private sealed record Loaded(X509Certificate2? Certificate, (DateTime Cert, DateTime Key) Stamp);
}
