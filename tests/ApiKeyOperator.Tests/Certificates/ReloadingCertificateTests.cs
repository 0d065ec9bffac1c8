using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ApiKeyOperator.Certificates;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace ApiKeyOperator.Tests.Certificates;

public sealed class ReloadingCertificateTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("reloading-certificate-");

    private string CertFile => Path.Combine(_directory.FullName, "tls.crt");

    private string KeyFile => Path.Combine(_directory.FullName, "tls.key");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public async Task A_mounted_Secret_that_is_not_there_yet_is_waited_for_and_served_once_it_appears()
    {
        using var certificate = new ReloadingCertificate(CertFile, KeyFile, NullLogger.Instance, waitForFiles: true);
        Assert.Null(certificate.Current);

        var thumbprint = await WriteAsync("CN=mounted");

        Assert.Equal(thumbprint, certificate.Current?.Thumbprint);
    }

    [Fact]
    public void Files_named_explicitly_must_be_there_at_start()
    {
        Assert.Throws<FileNotFoundException>(() => new ReloadingCertificate(CertFile, KeyFile, NullLogger.Instance));
    }

    private async Task<string> WriteAsync(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var issued = new CertificateRequest(subject, key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        await File.WriteAllTextAsync(CertFile, issued.ExportCertificatePem(), TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(KeyFile, key.ExportPkcs8PrivateKeyPem(), TestContext.Current.CancellationToken);
        return issued.Thumbprint;
    }
}
