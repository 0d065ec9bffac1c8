namespace ApiKeyOperator.Certificates;

/// <summary>
/// Lifetimes of the operator's own CA and serving certificate. The CA is long-lived and replaced with overlap:
/// its successor is published in the trust bundle <see cref="CaOverlap"/> before it signs anything, so every
/// client that refreshes its bundle within that time never sees a certificate it does not trust.
/// </summary>
public sealed record CertificatePolicy
{
    public TimeSpan CaValidity { get; init; } = TimeSpan.FromDays(5 * 365);

    /// <summary>A successor CA is created (and published) once the signing CA has less than this left.</summary>
    public TimeSpan CaRenewBefore { get; init; } = TimeSpan.FromDays(365);

    /// <summary>How long a successor CA is published before it starts signing.</summary>
    public TimeSpan CaOverlap { get; init; } = TimeSpan.FromDays(30);

    public TimeSpan ServingValidity { get; init; } = TimeSpan.FromDays(90);

    /// <summary>The serving certificate is reissued once it has less than this left.</summary>
    public TimeSpan ServingRenewBefore { get; init; } = TimeSpan.FromDays(30);

    /// <summary>Certificates start this far in the past, so a peer whose clock lags still accepts them.</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromHours(1);
}
