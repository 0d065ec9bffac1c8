using ApiKeyOperator.Hosting;

namespace ApiKeyOperator.Certificates;

/// <summary>/readyz line <c>serving-certificate</c>: not ready until a TLS listener has a certificate to present.</summary>
public sealed class ServingCertificateReadiness(IServingCertificate certificate) : IReadinessCheck
{
    public string Name => "serving-certificate";

    public ReadinessResult Check() => certificate.Current is { } current
        ? new ReadinessResult(true, null)
        : new ReadinessResult(false, "no serving certificate yet (the leader writes it; a mounted Secret appears within a minute)");
}
