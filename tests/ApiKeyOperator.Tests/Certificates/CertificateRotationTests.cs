using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ApiKeyOperator.Certificates;
using Xunit;

namespace ApiKeyOperator.Tests.Certificates;

public sealed class CertificateRotationTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private static readonly CertificatePolicy Policy = new();
    private static readonly ServingIdentity Identity = ServingIdentity.ForServices("apikey-operator-system", CertificateNames.DefaultServices);

    [Fact]
    public void First_round_creates_a_CA_and_a_serving_certificate_for_every_service_name()
    {
        var (state, changes) = Reconcile(Empty, Start);

        Assert.Equal(["created the CA", "issued the serving certificate (none was stored)"], changes);
        Assert.True(CertificateRotation.IsOurCa(state.Signer, Start, requireKey: true));
        Assert.Equal(Start + Policy.CaValidity, new DateTimeOffset(state.Signer.NotAfter.ToUniversalTime()));
        Assert.True(CertificateRotation.IsSignedBy(state.Serving, state.Signer, Start));
        Assert.True(state.Serving.HasPrivateKey);
        var names = state.Serving.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Contains("apikey-operator-review.apikey-operator-system.svc", names.EnumerateDnsNames());
        Assert.Contains("apikey-operator-metrics.apikey-operator-system.svc.cluster.local", names.EnumerateDnsNames());
        Assert.Contains(IPAddress.Loopback, names.EnumerateIPAddresses());
        Assert.Equal([state.Signer.Thumbprint], state.TrustedCas.Select(c => c.Thumbprint));
        Assert.Null(state.Next);
    }

    [Fact]
    public void What_was_stored_is_left_alone()
    {
        var (first, _) = Reconcile(Empty, Start);

        var (second, changes) = Reconcile(Observed(first), Start + TimeSpan.FromDays(10));

        Assert.Empty(changes);
        Assert.Equal(first.Serving.Thumbprint, second.Serving.Thumbprint);
        Assert.Equal(first.Bundle, second.Bundle);
    }

    [Fact]
    public void Serving_certificate_is_renewed_a_month_before_it_expires()
    {
        var (first, _) = Reconcile(Empty, Start);

        var (kept, none) = Reconcile(Observed(first), Start + Policy.ServingValidity - Policy.ServingRenewBefore - TimeSpan.FromMinutes(1));
        var (renewed, changes) = Reconcile(Observed(first), Start + Policy.ServingValidity - Policy.ServingRenewBefore);

        Assert.Empty(none);
        Assert.Equal(first.Serving.Thumbprint, kept.Serving.Thumbprint);
        Assert.Equal(["issued the serving certificate (it expires soon)"], changes);
        Assert.Equal(first.Signer.Thumbprint, renewed.Signer.Thumbprint);
        Assert.NotEqual(first.Serving.Thumbprint, renewed.Serving.Thumbprint);
    }

    [Fact]
    public void A_successor_CA_is_published_a_year_ahead_and_signs_only_after_the_overlap()
    {
        var (first, _) = Reconcile(Empty, Start);
        var renewAt = Start + Policy.CaValidity - Policy.CaRenewBefore;

        var (published, changes) = Reconcile(Observed(first), renewAt);
        Assert.Contains("published a successor CA; it signs once the overlap has passed", changes);
        Assert.NotNull(published.Next);
        Assert.Equal(first.Signer.Thumbprint, published.Signer.Thumbprint);
        Assert.Equal([first.Signer.Thumbprint, published.Next.Thumbprint], published.TrustedCas.Select(c => c.Thumbprint));
        Assert.True(CertificateRotation.IsSignedBy(published.Serving, first.Signer, renewAt));

        var (waiting, _) = Reconcile(Observed(published), renewAt + Policy.CaOverlap - TimeSpan.FromMinutes(1));
        Assert.Equal(first.Signer.Thumbprint, waiting.Signer.Thumbprint);

        var promotedAt = renewAt + Policy.CaOverlap;
        var (promoted, promotion) = Reconcile(Observed(waiting), promotedAt);
        Assert.Contains("the successor CA has been published for 30 days and signs from now on", promotion);
        Assert.Equal(published.Next.Thumbprint, promoted.Signer.Thumbprint);
        Assert.Equal(first.Signer.Thumbprint, promoted.Previous?.Thumbprint);
        Assert.True(CertificateRotation.IsSignedBy(promoted.Serving, promoted.Signer, promotedAt));
        // The retired CA stays trusted while replicas may still serve what it signed.
        Assert.Contains(first.Signer.Thumbprint, promoted.TrustedCas.Select(c => c.Thumbprint));

        var (retired, _) = Reconcile(Observed(promoted), new DateTimeOffset(first.Signer.NotAfter.ToUniversalTime()));
        Assert.DoesNotContain(first.Signer.Thumbprint, retired.TrustedCas.Select(c => c.Thumbprint));
    }

    [Fact]
    public void A_planted_serving_certificate_or_CA_is_replaced_not_trusted()
    {
        var (first, _) = Reconcile(Empty, Start);
        using var attackerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={CertificateNames.CaCommonName}@0", attackerKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var attackerCa = request.CreateSelfSigned(Start.AddDays(-1), Start.AddYears(5));
        var planted = CertificateFactory.IssueServing(attackerCa, Identity.DnsNames, Identity.Addresses, Start, Policy);

        var (state, changes) = Reconcile(Observed(first) with { Serving = planted }, Start + TimeSpan.FromHours(1));

        Assert.Equal(["issued the serving certificate (it is not signed by the signing CA)"], changes);
        Assert.True(CertificateRotation.IsSignedBy(state.Serving, first.Signer, Start + TimeSpan.FromHours(1)));
        Assert.DoesNotContain(attackerCa.Thumbprint, state.TrustedCas.Select(c => c.Thumbprint));
        // A CA cert planted as the signer without its key (all an attacker reading the bundle has) is not used.
        Assert.False(CertificateRotation.IsOurCa(X509CertificateLoader.LoadCertificate(first.Signer.RawData), Start, requireKey: true));
    }

    [Fact]
    public void An_expired_serving_certificate_and_a_keyless_signer_are_replaced()
    {
        var (first, _) = Reconcile(Empty, Start);

        var (expired, changes) = Reconcile(Observed(first), Start + Policy.ServingValidity + TimeSpan.FromDays(1));
        Assert.Equal(["issued the serving certificate (it has expired)"], changes);
        Assert.True(expired.Serving.NotAfter.ToUniversalTime() > (Start + Policy.ServingValidity).UtcDateTime);

        var (rebuilt, rebuild) = Reconcile(Observed(first) with { Signer = X509CertificateLoader.LoadCertificate(first.Signer.RawData) }, Start);
        Assert.Equal("the signing CA is unusable (expired, keyless or not ours); created a new one", rebuild[0]);
        Assert.NotEqual(first.Signer.Thumbprint, rebuilt.Signer.Thumbprint);
        Assert.True(CertificateRotation.IsSignedBy(rebuilt.Serving, rebuilt.Signer, Start));
    }

    [Fact]
    public void A_changed_service_list_reissues_the_serving_certificate()
    {
        var (first, _) = Reconcile(Empty, Start);

        var (state, changes) = CertificateRotation.Reconcile(
            Observed(first), ServingIdentity.ForServices("apikey-operator-system", ["apikey-operator-review"]), Start, Policy);

        Assert.Equal(["issued the serving certificate (its names differ from the Services')"], changes);
        Assert.DoesNotContain("apikey-operator-metrics", state.Serving.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames());
    }

    private static CertificateObservation Empty => new(null, null, null, null);

    internal static CertificateObservation Observed(CertificateState state) => new(state.Signer, state.Next, state.Previous, state.Serving);

    private static (CertificateState, IReadOnlyList<string>) Reconcile(CertificateObservation observed, DateTimeOffset now) =>
        CertificateRotation.Reconcile(observed, Identity, now, Policy);
}
